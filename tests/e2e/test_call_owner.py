"""The one who took the call owns the conversation: after Bo presses "Jag tar det" on
Kim's call, Kim's next messages go to Bo (not to Anna, the first contact person) for the
rest of Bo's shift; then routing is as usual again."""

from __future__ import annotations

from datetime import time

from sqlalchemy import select

from bot.sandbox.client import SandboxClient
from storage.models import Direction, Message
from tests.e2e.conftest import RunningBot
from tests.e2e.helpers import new_bot_message, seen
from tests.e2e.safety_net import ANNA, BO, KIM, ON_IT, a_route, at, next_step
from tests.e2e.test_old_alerts import alert, kim_asks_for_help


async def kim_writes(people: SandboxClient, text: str) -> str:
    known = await seen(people, KIM)
    await people.send_text(KIM, text)
    return (await new_bot_message(people, KIM, known, "Skickat")).text


async def test_kims_messages_go_to_bo_for_the_rest_of_bos_shift(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    services = running_bot.services
    # Bo works 07–12 and 13–16: two shifts.
    route = await a_route(
        running_bot, people, shifts={"Bo": ((time(7), time(12)), (time(13), time(16)))}
    )
    at(running_bot, 9)
    await kim_asks_for_help(people)
    await alert(people, ANNA)  # Anna does not answer
    await next_step(running_bot)
    bo = await alert(people, BO)
    await people.wait_for_answer(await people.press(BO, bo.message_id, text=ON_IT))
    await people.wait_for(KIM, lambda m: m.text == "Bo har sett det och hör av sig.")

    at(running_bot, 9, 15)
    assert await kim_writes(people, "Kan du komma?") == "Skickat till Bo."
    await people.wait_for(BO, lambda m: m.from_bot and "\nKan du komma?\n" in m.text)
    at(running_bot, 11, 45)
    assert await kim_writes(people, "Jag väntar vid disken.") == "Skickat till Bo."
    await people.wait_for(BO, lambda m: m.from_bot and "\nJag väntar vid disken.\n" in m.text)
    relayed_to_anna = [m for m in await people.bot_messages(ANNA) if m.text.startswith("✉️")]
    assert relayed_to_anna == []
    # A new call for help during Bo's shift goes to Bo first, too.
    known, kims = await seen(people, BO), await seen(people, KIM)
    await kim_asks_for_help(people)
    receipt = await new_bot_message(people, KIM, kims, "Jag har sagt till")
    assert receipt.text.startswith("Jag har sagt till Bo att du behöver hjälp.")
    again = await new_bot_message(people, BO, known, "🙋 Kim")
    assert again.buttons() == [ON_IT]
    assert not [m for m in await people.bot_messages(ANNA) if m.text.startswith("🙋 Kim")][1:]

    at(running_bot, 13, 30)  # Bo is on duty again, but on a new shift: back to Anna
    assert await kim_writes(people, "Nu är det bra.") == "Skickat till Anna."
    await people.wait_for(ANNA, lambda m: m.from_bot and "\nNu är det bra.\n" in m.text)

    async with services.sessions() as session:
        kept = list(
            await session.scalars(
                select(Message)
                .where(Message.direction == Direction.FROM_COWORKER)
                .order_by(Message.id)
            )
        )
    assert [m.staff_id for m in kept] == [route.ids["Bo"], route.ids["Bo"], route.ids["Anna"]]
