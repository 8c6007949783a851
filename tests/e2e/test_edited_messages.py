"""An edited message is not a new one: the co-worker's change reaches the same member of
staff, marked as a change and as a reply to the copy they have, with no second copy and
no second receipt; any other edit gets one short line and runs nothing again."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bot.sandbox.client import SandboxClient
from storage.models import Message, OutboxMessage
from tests.e2e.conftest import RunningBot
from tests.e2e.helpers import new_bot_message, seen, sent_and_recorded
from tests.e2e.test_relay import ANNA, BO, KIM, a_group, at, relayed

IGNORED = "Jag ser inte ändringar i meddelanden. Skicka ett nytt meddelande i stället."


async def test_an_edit_reaches_the_same_staff_member_as_a_change(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    services = running_bot.services
    await a_group(running_bot, people)
    at(running_bot, 9)
    annas = await seen(people, ANNA)
    kims = await seen(people, KIM)
    kims_message = await people.send_text(KIM, "Jag är klar med disken")
    assert (await new_bot_message(people, KIM, kims)).text == "Skickat till Anna."
    (copy,) = await relayed(people, ANNA, annas)
    await sent_and_recorded(services, ANNA, copy.message_id)

    annas = await seen(people, ANNA)
    bos = await seen(people, BO)
    kims = await seen(people, KIM)
    await people.edit_text(KIM, kims_message, "Jag är klar med <disken> & golvet")
    receipt = await new_bot_message(people, KIM, kims)
    assert receipt.text == "Ändringen är skickad till Anna."
    note = await new_bot_message(people, ANNA, annas)
    assert note.text == (
        "✏️ Kim ändrade sitt meddelande. Nu står det:\nJag är klar med <disken> & golvet"
    )
    assert note.reply_to_message_id == copy.message_id
    await asyncio.sleep(0.5)  # nothing else follows
    assert [m.message_id for m in await people.bot_messages(ANNA) if m.message_id not in annas] == [
        note.message_id
    ]
    assert [m.message_id for m in await people.bot_messages(KIM) if m.message_id not in kims] == [
        receipt.message_id
    ]
    assert await people.bot_messages(BO) == [
        m for m in await people.bot_messages(BO) if m.message_id in bos
    ]
    async with services.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Message)) == 1
        assert await session.scalar(select(Message.body)) == "Jag är klar med <disken> & golvet"
        kinds = list(await session.scalars(select(OutboxMessage.kind).order_by(OutboxMessage.id)))
    assert kinds.count("relay_copy") == 1 and kinds.count("relay_edit") == 1

    # Anna answers the change by replying to it: the answer goes back to Kim.
    await sent_and_recorded(services, ANNA, note.message_id)
    kims = await seen(people, KIM)
    await people.send_text(ANNA, "Bra jobbat!", reply_to=note.message_id)
    assert (await new_bot_message(people, KIM, kims)).text == "💬 Anna (stödperson) skriver:"


async def test_an_edited_command_or_answer_is_not_run_again(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    await a_group(running_bot, people)
    at(running_bot, 9)
    kims = await seen(people, KIM)
    command = await people.send_text(KIM, "/week")
    await new_bot_message(people, KIM, kims)
    kims = await seen(people, KIM)
    await people.edit_text(KIM, command, "/today")
    assert (await new_bot_message(people, KIM, kims)).text == IGNORED
    annas = await seen(people, ANNA)
    mine = await people.send_text(ANNA, "/duty")
    await new_bot_message(people, ANNA, annas)
    annas = await seen(people, ANNA)
    await people.edit_text(ANNA, mine, "/team")
    assert (await new_bot_message(people, ANNA, annas)).text == IGNORED
    await asyncio.sleep(0.5)
    assert len([m for m in await people.bot_messages(ANNA) if m.message_id not in annas]) == 1
