"""The sandbox's Bot API through a real python-telegram-bot ``Bot`` over HTTP."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from bot.sandbox import SandboxClient, SandboxServer
from tests.sandbox.conftest import TOKEN


def keyboard(*rows: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(text, callback_data=data) for text, data in row] for row in rows]
    )


async def test_get_me_is_the_bot(bot: telegram.Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.first_name, me.is_bot) == (
        123456789,
        "VardagBot",
        "Vardag",
        True,
    )


async def test_html_message_with_inline_keyboard(
    bot: telegram.Bot, people: SandboxClient, alva: int
) -> None:
    sent = await bot.send_message(
        alva,
        "<b>Hej Alva</b> &amp; välkommen &lt;3",
        parse_mode="HTML",
        reply_markup=keyboard([("Ja", "yes"), ("Nej", "no")]),
    )
    assert sent.text == "Hej Alva & välkommen <3"
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [("bold", 0, 8)]
    assert sent.from_user is not None and sent.from_user.is_bot
    assert sent.chat.id == alva and sent.chat.type == "private"
    assert sent.reply_markup is not None
    assert sent.reply_markup.inline_keyboard[0][1].callback_data == "no"

    [seen] = await people.bot_messages(alva)
    assert seen.message_id == sent.message_id
    assert seen.text == "Hej Alva & välkommen <3"
    assert seen.html == "<b>Hej Alva</b> &amp; välkommen &lt;3"
    assert seen.buttons() == ["Ja", "Nej"]
    assert seen.button_data("Nej") == "no"
    assert seen.kind == "text" and seen.edited == 0 and not seen.deleted


async def test_unknown_and_unbalanced_html_tags_are_rejected(
    bot: telegram.Bot, people: SandboxClient, alva: int
) -> None:
    with pytest.raises(BadRequest) as unknown:
        await bot.send_message(alva, "Hi <p>there</p>", parse_mode="HTML")
    assert unknown.value.message.lower() == (
        'can\'t parse entities: unsupported start tag "p" at byte offset 3'
    )
    with pytest.raises(BadRequest) as unbalanced:
        await bot.send_message(alva, "<b>bold <i>both</b></i>", parse_mode="HTML")
    assert "unmatched end tag at byte offset 15" in unbalanced.value.message.lower()
    assert await people.bot_messages(alva) == []


async def test_edit_message_text(bot: telegram.Bot, people: SandboxClient, alva: int) -> None:
    sent = await bot.send_message(alva, "Första", reply_markup=keyboard([("Klar", "done")]))
    edited = await bot.edit_message_text("<i>Andra</i>", alva, sent.message_id, parse_mode="HTML")
    assert isinstance(edited, telegram.Message)
    assert edited.text == "Andra" and edited.edit_date is not None
    assert edited.reply_markup is None  # no reply_markup in the edit: the keyboard goes

    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("<i>Andra</i>", alva, sent.message_id, parse_mode="HTML")
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", alva, 999)

    [seen] = await people.bot_messages(alva)
    assert (seen.text, seen.edited, seen.reply_markup) == ("Andra", 1, None)


async def test_edit_reply_markup(bot: telegram.Bot, people: SandboxClient, alva: int) -> None:
    sent = await bot.send_message(alva, "Välj", reply_markup=keyboard([("A", "a")]))
    await bot.edit_message_reply_markup(alva, sent.message_id, reply_markup=keyboard([("B", "b")]))
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(
            alva, sent.message_id, reply_markup=keyboard([("B", "b")])
        )
    [seen] = await people.bot_messages(alva)
    assert seen.buttons() == ["B"] and seen.edited == 1


async def test_text_limits(bot: telegram.Bot, people: SandboxClient, alva: int) -> None:
    with pytest.raises(BadRequest) as too_long:
        await bot.send_message(alva, "x" * 4097)
    assert too_long.value.message == "Message is too long"
    with pytest.raises(BadRequest) as empty:
        await bot.send_message(alva, "")
    assert empty.value.message == "Message text is empty"
    # The limit counts the text after parsing: tags don't count.
    fits = await bot.send_message(alva, f"<b>{'x' * 4096}</b>", parse_mode="HTML")
    assert len(fits.text) == 4096
    assert [m.message_id for m in await people.bot_messages(alva)] == [fits.message_id]


async def test_callback_data_over_64_bytes_is_rejected(bot: telegram.Bot, alva: int) -> None:
    await bot.send_message(alva, "ok", reply_markup=keyboard([("Å", "å" * 32)]))  # 64 bytes
    with pytest.raises(BadRequest) as error:
        await bot.send_message(alva, "no", reply_markup=keyboard([("Å", "å" * 33)]))
    assert error.value.message.lower() == "button_data_invalid"


async def test_unknown_chat_and_blocked_person(
    bot: telegram.Bot, people: SandboxClient, alva: int
) -> None:
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(424242, "Hej?")
    await people.block(alva)
    with pytest.raises(Forbidden) as blocked:
        await bot.send_message(alva, "Hej?")
    assert blocked.value.message == "Forbidden: bot was blocked by the user"
    await people.unblock(alva)
    assert (await bot.send_message(alva, "Hej igen")).text == "Hej igen"


async def test_rate_limit_raises_retry_after(
    bot: telegram.Bot, people: SandboxClient, alva: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    for n in range(3):  # the per-chat burst
        await bot.send_message(alva, f"{n}")
    with pytest.raises(RetryAfter) as limited:
        await bot.send_message(alva, "one too many")
    assert limited.value.retry_after == timedelta(seconds=1)
    stats = await people.stats()
    assert stats["rate_limited"] == 1 and stats["calls"]["sendMessage"] == 4
    assert [m.text for m in await people.bot_messages(alva)] == ["0", "1", "2"]


async def test_injected_faults_do_not_perform_the_action(
    bot: telegram.Bot, people: SandboxClient, alva: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    await people.set_faults(rate_500=1.0)
    with pytest.raises(NetworkError) as server_error:
        await bot.send_message(alva, "lost")
    assert not isinstance(server_error.value, BadRequest | Forbidden | RetryAfter)
    assert server_error.value.message == "Internal Server Error"
    assert (await bot.get_me()).username == "VardagBot"  # not a message method: unaffected

    await people.set_faults(rate_429=1.0)
    with pytest.raises(RetryAfter) as flood:
        await bot.send_message(alva, "lost too")
    assert flood.value.retry_after == timedelta(seconds=1)

    await people.set_faults()
    assert (await bot.send_message(alva, "arrives")).text == "arrives"
    assert [m.text for m in await people.bot_messages(alva)] == ["arrives"]
    stats = await people.stats()
    assert stats["faults"] == {"500": 1, "429": 1}
    assert (stats["faults_total"], stats["too_many_requests"], stats["rate_limited"]) == (2, 1, 0)


async def test_injected_timeout_holds_the_answer(
    sandbox: SandboxServer, people: SandboxClient, alva: int
) -> None:
    await people.set_faults(rate_timeout=1.0, timeout_seconds=5.0)
    request = HTTPXRequest(read_timeout=0.3)
    async with telegram.Bot(TOKEN, base_url=sandbox.bot_base_url, request=request) as bot:
        started = time.monotonic()
        with pytest.raises(TimedOut):
            await bot.send_message(alva, "never sent")
        assert time.monotonic() - started < 2.0
    assert await people.bot_messages(alva) == []
    assert (await people.stats())["faults"] == {"timeout": 1}


async def test_copy_message_of_a_photo(
    bot: telegram.Bot, people: SandboxClient, alva: int, bo: int
) -> None:
    photo_id = await people.send_photo(alva, caption="Min katt")
    updates = await bot.get_updates()
    [photo_message] = [u.message for u in updates if u.message and u.message.photo]
    assert photo_message.caption == "Min katt" and len(photo_message.photo) == 3
    largest = photo_message.photo[-1]

    copied = await bot.copy_message(
        bo, alva, photo_id, caption="<b>Alvas</b> katt", parse_mode="HTML"
    )
    assert isinstance(copied, telegram.MessageId)
    [seen] = await people.bot_messages(bo)
    assert seen.message_id == copied.message_id
    assert (seen.kind, seen.caption, seen.photo) == ("photo", "Alvas katt", largest.file_id)

    with pytest.raises(BadRequest, match="Message to copy not found"):
        await bot.copy_message(bo, alva, 999)


async def test_answer_callback_query_once(
    bot: telegram.Bot, people: SandboxClient, alva: int
) -> None:
    sent = await bot.send_message(alva, "Klar?", reply_markup=keyboard([("Klar", "done:7")]))
    query_id = await people.press(alva, sent.message_id, text="Klar")
    [update] = [u for u in await bot.get_updates() if u.callback_query]
    assert update.callback_query is not None
    assert update.callback_query.id == query_id and update.callback_query.data == "done:7"

    assert await bot.answer_callback_query(query_id, text="Bra jobbat!") is True
    answer = await people.callback_answer(query_id)
    assert answer["answered"] and answer["text"] == "Bra jobbat!" and not answer["show_alert"]
    with pytest.raises(BadRequest) as twice:
        await bot.answer_callback_query(query_id, text="igen")
    assert twice.value.message.lower() == (
        "query is too old and response timeout expired or query id is invalid"
    )
    assert (await people.callback_answer(query_id))["text"] == "Bra jobbat!"


async def test_media_location_delete_and_files(
    bot: telegram.Bot, people: SandboxClient, alva: int
) -> None:
    document = await bot.send_document(
        alva, InputFile(b"%PDF-1.4 plan", filename="plan.pdf"), caption="Veckans plan"
    )
    assert document.document is not None
    assert (document.document.file_name, document.document.mime_type) == (
        "plan.pdf",
        "application/pdf",
    )
    assert document.document.file_size == len(b"%PDF-1.4 plan")
    file = await bot.get_file(document.document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"%PDF-1.4 plan"

    await people.send_voice(alva, duration=4)
    [voice] = [u.message.voice for u in await bot.get_updates() if u.message and u.message.voice]
    echoed = await bot.send_voice(alva, voice.file_id)
    assert echoed.voice is not None and echoed.voice.file_id == voice.file_id
    with pytest.raises(BadRequest, match="Wrong file identifier/http url specified"):
        await bot.send_voice(alva, "not-a-file-id")

    where = await bot.send_location(alva, latitude=59.33, longitude=18.06)
    assert where.location is not None and where.location.latitude == pytest.approx(59.33)
    assert await bot.delete_message(alva, where.message_id) is True
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(alva, where.message_id)

    seen = await people.bot_messages(alva, include_deleted=True)
    assert [(m.kind, m.deleted) for m in seen] == [
        ("document", False),
        ("voice", False),
        ("location", True),
    ]
    assert seen[0].document is not None and seen[0].document["file_name"] == "plan.pdf"
    assert seen[0].caption == "Veckans plan"
    assert seen[2].location == {"latitude": 59.33, "longitude": 18.06}


async def test_replies(bot: telegram.Bot, alva: int) -> None:
    first = await bot.send_message(alva, "Fråga")
    reply = await bot.send_message(alva, "Svar", reply_to_message_id=first.message_id)
    assert reply.reply_to_message is not None and reply.reply_to_message.text == "Fråga"
    with pytest.raises(BadRequest, match="Message to be replied not found"):
        await bot.send_message(alva, "Svar", reply_to_message_id=999)


async def test_commands_per_scope_and_language(bot: telegram.Bot, people: SandboxClient) -> None:
    await bot.set_my_commands([("today", "Dagens uppgifter")])
    await bot.set_my_commands([("today", "Today's tasks")], language_code="en")
    assert [c.command for c in await bot.get_my_commands()] == ["today"]
    english = await bot.get_my_commands(language_code="en")
    assert [c.description for c in english] == ["Today's tasks"]
    stored = await people.commands()
    assert [(c["language_code"], c["scope"]) for c in stored] == [
        ("", {"type": "default"}),
        ("en", {"type": "default"}),
    ]
    assert await bot.delete_my_commands(language_code="en") is True
    assert await bot.get_my_commands(language_code="en") == ()
    with pytest.raises(BadRequest):
        await bot.set_my_commands([("Bad Command!", "x")])


async def test_chat_action_and_session_methods(bot: telegram.Bot, alva: int) -> None:
    assert await bot.send_chat_action(alva, "typing") is True
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_chat_action(5, "typing")
    assert await bot.close() is True
