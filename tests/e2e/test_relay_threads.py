"""Threads through the relay: one co-worker message is one message for staff where
Telegram allows it (the header in the text, or in a photo's caption), and a reply on one
side is a reply on the other, so nobody loses track of what is being answered."""

from __future__ import annotations

from sqlalchemy import select

from bot.sandbox.client import SandboxClient, SandboxMessage
from bot.sandbox.server import SandboxServer
from storage.models import Direction, Message
from tests.e2e.conftest import RunningBot
from tests.e2e.helpers import seen, sent_and_recorded
from tests.e2e.test_relay import ANNA, KIM, a_group, at, kim_says, relayed

HOW = "Svara på meddelandet, så får Kim svaret."


async def anna_answers(
    running_bot: RunningBot, people: SandboxClient, to: int, text: str
) -> tuple[int, SandboxMessage]:
    """Anna replies to message ``to`` in her chat; her own message's id, and the copy
    Kim gets of it."""
    await sent_and_recorded(running_bot.services, ANNA, to)
    kims = await seen(people, KIM)
    mine = await people.send_text(ANNA, text, reply_to=to)
    copy = await people.wait_for(KIM, lambda m: m.text == text and m.message_id not in kims)
    await sent_and_recorded(running_bot.services, KIM, copy.message_id)
    return mine, copy


async def test_one_message_names_the_coworker_whatever_he_sends(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    await a_group(running_bot, people)
    at(running_bot, 9)

    annas = await seen(people, ANNA)
    assert await kim_says(people, people.send_text(KIM, "Är <b>det</b> här & klart?")) == (
        "Skickat till Anna."
    )
    (text,) = await relayed(people, ANNA, annas)
    assert text.text == f"✉️ Från Kim (Rutt 1).\nÄr <b>det</b> här & klart?\n{HOW}"
    assert "<b>det</b>" not in (text.html or "")  # his words are shown, not run as HTML

    annas = await seen(people, ANNA)
    await kim_says(people, people.send_photo(KIM, caption="Så här ser hyllan ut"))
    (photo,) = await relayed(people, ANNA, annas)
    assert photo.kind == "photo"
    assert photo.caption == f"✉️ Från Kim (Rutt 1).\nSå här ser hyllan ut\n{HOW}"

    annas = await seen(people, ANNA)
    await kim_says(people, people.send_sticker(KIM))
    header, sticker = await relayed(people, ANNA, annas)  # a sticker cannot carry a caption
    assert header.text == f"✉️ Från Kim (Rutt 1).\n{HOW}"
    assert sticker.kind == "sticker"

    # Anna's reply to the one photo finds the thread.
    _, back = await anna_answers(running_bot, people, photo.message_id, "Fint!")
    assert back.from_bot
    async with running_bot.services.sessions() as session:
        kept = list(await session.scalars(select(Message).order_by(Message.id)))
    assert [(m.direction, m.kind) for m in kept] == [
        (Direction.FROM_COWORKER, "text"),
        (Direction.FROM_COWORKER, "photo"),
        (Direction.FROM_COWORKER, "sticker"),
        (Direction.TO_COWORKER, "text"),
    ]
    assert kept[3].reply_to_id == kept[1].id
    assert kept[1].relayed_message_id == photo.message_id


async def test_a_staff_answer_is_a_reply_to_the_coworkers_own_message(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    await a_group(running_bot, people)
    at(running_bot, 9)
    annas = await seen(people, ANNA)
    first = await people.send_text(KIM, "Var är nycklarna?")
    (asked_first,) = await relayed(people, ANNA, annas)
    annas = await seen(people, ANNA)
    await people.send_text(KIM, "Och när kommer bussen?")
    await relayed(people, ANNA, annas)

    kims = await seen(people, KIM)
    _, copy = await anna_answers(running_bot, people, asked_first.message_id, "I lådan.")
    assert copy.reply_to_message_id == first  # on Kim's phone: an answer to his question
    (label,) = [m for m in await people.bot_messages(KIM) if m.message_id not in kims and m != copy]
    assert label.text == "💬 Anna (stödperson) skriver:"


async def test_a_coworker_answering_an_older_answer_keeps_the_thread(
    running_bot: RunningBot, people: SandboxClient, sandbox: SandboxServer
) -> None:
    await a_group(running_bot, people)
    at(running_bot, 9)
    annas = await seen(people, ANNA)
    await people.send_text(KIM, "Ska jag diska?")
    (q1,) = await relayed(people, ANNA, annas)
    annas = await seen(people, ANNA)
    await people.send_text(KIM, "Ska jag handla?")
    (q2,) = await relayed(people, ANNA, annas)
    a1, a1_for_kim = await anna_answers(running_bot, people, q1.message_id, "Ja, disken först.")
    a2, _ = await anna_answers(running_bot, people, q2.message_id, "Handla i morgon.")

    # Kim answers the older answer: Anna sees it as a reply to what she wrote then.
    annas = await seen(people, ANNA)
    await people.send_text(KIM, "Okej, jag diskar nu.", reply_to=a1_for_kim.message_id)
    (reply,) = await relayed(people, ANNA, annas)
    assert "\nOkej, jag diskar nu.\n" in reply.text and reply.text.startswith("✉️ Från Kim")
    assert reply.reply_to_message_id == a1 != a2

    # Kim answers his own earlier message: Anna sees it as a reply to her copy of it.
    annas = await seen(people, ANNA)
    kims_question = next(
        m.message_id for m in await people.messages(KIM) if m.text == "Ska jag handla?"
    )
    await people.send_text(KIM, "Eller i kväll?", reply_to=kims_question)
    (again,) = await relayed(people, ANNA, annas)
    assert again.reply_to_message_id == q2.message_id

    # What he answers is gone from Anna's chat: it still reaches her, as a plain message.
    gone = sandbox.state.live_message(ANNA, a1)
    assert gone is not None
    gone.deleted = True
    annas = await seen(people, ANNA)
    await people.send_text(KIM, "Klar med disken!", reply_to=a1_for_kim.message_id)
    (plain,) = await relayed(people, ANNA, annas)
    assert "\nKlar med disken!\n" in plain.text and plain.reply_to_message_id is None


async def test_an_edit_while_the_message_waits_goes_out_in_the_one_message(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    await a_group(running_bot, people)
    at(running_bot, 6)  # nobody on duty: it waits for Anna at 07:00
    annas = await seen(people, ANNA)
    sent = await people.send_text(KIM, "Jag kommer 8")
    await people.wait_for(KIM, lambda m: m.text.startswith("Ingen är i tjänst"))
    kims = await seen(people, KIM)
    await people.edit_text(KIM, sent, "Jag kommer <9>")
    await people.wait_for(
        KIM, lambda m: m.message_id not in kims and m.text.startswith("Ändringen kommer med")
    )
    at(running_bot, 7, 1)
    (one,) = await relayed(people, ANNA, annas)
    assert one.text == f"✉️ Från Kim (Rutt 1).\nJag kommer <9>\n{HOW}"
