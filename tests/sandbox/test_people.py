"""The people side: /sandbox/... routes through SandboxClient."""

from __future__ import annotations

import pytest
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.sandbox import SandboxClient, SandboxClientError


async def test_every_kind_of_message_a_person_sends(
    bot: telegram.Bot, people: SandboxClient
) -> None:
    await people.add_user(1001, "Alva", last_name="Berg", username="alva")
    text_id = await people.send_text(1001, "hej")
    await people.send_photo(1001, caption="katt")
    await people.send_voice(1001, duration=7)
    await people.send_video(1001, duration=12, caption="film")
    await people.send_document(1001, "schema.pdf", mime_type="application/pdf")
    await people.send_location(1001, 59.85, 17.64)
    await people.send_sticker(1001, emoji="🌻", reply_to=text_id)

    seen = await people.messages(1001)
    assert [m.kind for m in seen] == [
        "text", "photo", "voice", "video", "document", "location", "sticker",
    ]  # fmt: skip
    assert [m.message_id for m in seen] == list(range(1, 8))
    assert not any(m.from_bot for m in seen)
    assert seen[1].caption == "katt" and seen[1].photo is not None
    assert seen[2].voice is not None and seen[2].voice["duration"] == 7
    assert seen[4].document is not None and seen[4].document["file_name"] == "schema.pdf"
    assert seen[5].location == {"latitude": 59.85, "longitude": 17.64}
    assert seen[6].reply_to_message_id == text_id

    updates = [u.message for u in await bot.get_updates() if u.message]
    assert updates[0].chat.username == "alva" and updates[0].chat.last_name == "Berg"
    assert updates[2].voice is not None and updates[2].voice.mime_type == "audio/ogg"
    assert updates[3].video is not None and updates[3].caption == "film"
    assert updates[4].document is not None and updates[4].document.mime_type == "application/pdf"
    assert updates[6].sticker is not None and updates[6].sticker.emoji == "🌻"
    assert updates[6].reply_to_message is not None
    assert updates[6].reply_to_message.text == "hej"


async def test_pressing_buttons(bot: telegram.Bot, people: SandboxClient) -> None:
    await people.add_user(1001, "Alva")
    await people.send_text(1001, "hej")
    markup = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Klar", callback_data="d:1")],
            [InlineKeyboardButton("Läs mer", url="https://example.com/help")],
        ]
    )
    sent = await bot.send_message(1001, "Uppgift", reply_markup=markup)
    [message] = await people.bot_messages(1001)
    assert message.buttons() == ["Klar", "Läs mer"]
    assert message.button("Läs mer").url == "https://example.com/help"

    with pytest.raises(SandboxClientError) as missing:
        await people.press(1001, sent.message_id, text="Finns inte")
    assert missing.value.status == 400 and "['Klar', 'Läs mer']" in missing.value.message
    with pytest.raises(SandboxClientError, match="has no callback_data"):
        await people.press(1001, sent.message_id, text="Läs mer")
    with pytest.raises(SandboxClientError, match="only the bot's messages"):
        await people.press(1001, 1, data="x")

    by_label = await people.press(1001, sent.message_id, text="Klar")
    forged = await people.press(1001, sent.message_id, data="d:999")
    queries = [u.callback_query for u in await bot.get_updates() if u.callback_query]
    assert [(q.id, q.data) for q in queries] == [(by_label, "d:1"), (forged, "d:999")]
    assert queries[0].message is not None and queries[0].message.message_id == sent.message_id
    assert queries[0].chat_instance == queries[1].chat_instance
    assert (await people.callback_answer(by_label))["answered"] is False


async def test_callback_query_shows_the_message_as_it_is_now(
    bot: telegram.Bot, people: SandboxClient
) -> None:
    await people.add_user(1001, "Alva")
    await people.send_text(1001, "hej")
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]])
    sent = await bot.send_message(1001, "före", reply_markup=markup)
    await bot.edit_message_text("efter", 1001, sent.message_id, reply_markup=markup)
    await people.press(1001, sent.message_id, text="A")
    [query] = [u.callback_query for u in await bot.get_updates() if u.callback_query]
    assert isinstance(query.message, telegram.Message)
    assert query.message.text == "efter" and query.message.edit_date is not None


async def test_writing_after_blocking_unblocks(bot: telegram.Bot, people: SandboxClient) -> None:
    await people.add_user(1001, "Alva")
    await people.send_text(1001, "hej")
    await people.block(1001)
    await people.send_text(1001, "/start")
    kinds = ["my_chat_member" if u.my_chat_member else "message" for u in await bot.get_updates()]
    assert kinds == ["message", "my_chat_member", "my_chat_member", "message"]
    assert (await bot.send_message(1001, "Välkommen tillbaka")).text == "Välkommen tillbaka"


async def test_people_route_errors(people: SandboxClient) -> None:
    with pytest.raises(SandboxClientError) as unknown:
        await people.send_text(5, "hej")
    assert unknown.value.status == 404
    await people.add_user(1001, "Alva")
    with pytest.raises(SandboxClientError, match="no message 3"):
        await people.send_text(1001, "svar", reply_to=3)
    with pytest.raises(SandboxClientError, match="text is empty"):
        await people.send_text(1001, "   ")


async def test_wait_for_lists_the_chat_when_it_times_out(people: SandboxClient) -> None:
    await people.add_user(1001, "Alva")
    await people.send_text(1001, "hej")
    with pytest.raises(AssertionError) as timed_out:
        await people.wait_for(1001, lambda m: m.from_bot, timeout=0.1)
    assert "no message in chat 1001 matched within 0.1s" in str(timed_out.value)
    assert "#1 user: 'hej'" in str(timed_out.value)


async def test_started_people_can_be_written_to(bot: telegram.Bot, people: SandboxClient) -> None:
    await people.add_user(1003, "Cleo", started=True)
    assert (await bot.send_message(1003, "Hej Cleo")).chat.first_name == "Cleo"
    assert await bot.get_updates() == ()


async def test_limits_and_faults_can_be_read_back(people: SandboxClient) -> None:
    limits = await people.set_limits(enabled=False)
    assert limits["enabled"] is False
    faults = await people.set_faults(rate_500=0.5, seed=7, methods=["sendMessage"])
    assert faults["methods"] == ["sendMessage"] and faults["seed"] == 7
    stats = await people.stats()
    assert stats["limits"]["enabled"] is False and stats["faults_config"]["rate_500"] == 0.5


async def test_reply_keyboards_are_seen_but_not_echoed(
    bot: telegram.Bot, people: SandboxClient
) -> None:
    await people.add_user(1001, "Alva")
    await people.send_text(1001, "hej")
    keyboard = telegram.ReplyKeyboardMarkup([["Ja", "Nej"], ["Kanske"]], resize_keyboard=True)
    sent = await bot.send_message(1001, "Kommer du?", reply_markup=keyboard)
    assert sent.reply_markup is None  # Telegram only echoes inline keyboards
    removed = await bot.send_message(1001, "Tack!", reply_markup=telegram.ReplyKeyboardRemove())
    assert removed.reply_markup is None
    first, second = await people.bot_messages(1001)
    assert first.keyboard == (("Ja", "Nej"), ("Kanske",)) and first.reply_markup is None
    assert second.keyboard is None and second.buttons() == []
