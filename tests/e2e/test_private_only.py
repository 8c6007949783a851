"""Vardag is one-to-one: in a group chat it shows and changes nothing, whatever comes in
(commands of every role, a code, a button, a message, an edit, a file). A command gets one
neutral line, a button a neutral alert; the rest is passed over."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bot.sandbox.client import SandboxClient
from bot.telegram.callbacks import Action
from storage.base import Base
from storage.models import Role
from tests.e2e.conftest import RunningBot
from tests.e2e.helpers import coworker_with_plan
from tests.e2e.test_joining import invite, join

KIM, ANNA, BOSS, EVE = 1001, 2001, 3001, 6666
GROUP = -100777
NEUTRAL = "Vardag fungerar bara i en privat chatt. Skriv till mig direkt."


async def row_counts(bot: RunningBot) -> dict[str, int]:
    async with bot.services.sessions() as session:
        return {
            table.name: int(await session.scalar(select(func.count()).select_from(table)) or 0)
            for table in Base.metadata.sorted_tables
        }


async def test_a_group_chat_sees_and_changes_nothing(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    services = running_bot.services
    _, (task,) = await coworker_with_plan(
        services, name="Kim", telegram_id=KIM, day=services.today()
    )
    anna = await invite(services, Role.SUPPORT, "Anna")
    await join(people, ANNA, "Anna", anna.code)
    boss = await invite(services, Role.ADMIN, "Boss")
    await join(people, BOSS, "Boss", boss.code)
    fresh = await invite(services, Role.COWORKER, "Eve")
    await people.add_user(KIM, "Kim")
    await people.add_user(EVE, "Eve")
    await people.add_group(GROUP, "Fikarummet")
    await asyncio.sleep(0.5)  # the joins' own answers are out
    private_before = {who: len(await people.messages(who)) for who in (KIM, ANNA, BOSS, EVE)}
    before = await row_counts(running_bot)

    commands = [
        (ANNA, "/team"),
        (ANNA, "/invite"),
        (ANNA, "/continuity"),
        (ANNA, "/duty"),
        (BOSS, "/broadcast"),
        (KIM, "/today"),
        (KIM, "/week"),
        (KIM, "/history"),
        (EVE, f"/start {fresh.code}"),
    ]
    for who, command in commands:
        await people.send_text(who, command, in_chat=GROUP)
    hello = await people.send_text(KIM, "hej allihop", in_chat=GROUP)
    await people.edit_text(KIM, hello, "/today", in_chat=GROUP)  # an edit: not even a line
    await people.send_document(KIM, "katalog.yaml", "application/x-yaml", in_chat=GROUP)
    last_command = await people.send_text(ANNA, "/team", in_chat=GROUP)
    commands.append((ANNA, "/team"))  # updates are taken in order: the last one answered
    last = await people.wait_for(GROUP, lambda m: m.from_bot, after=last_command)
    pressed = await people.press(
        KIM, last.message_id, data=f"{Action.DONE.value}:{task.id}", in_chat=GROUP
    )
    answer = await people.wait_for_answer(pressed)
    assert (answer["text"], answer["show_alert"]) == (NEUTRAL, True)
    await asyncio.sleep(0.5)  # nothing else follows

    said = [m.text for m in await people.bot_messages(GROUP)]
    assert said == [NEUTRAL] * len(commands)
    assert await row_counts(running_bot) == before
    for who, count in private_before.items():
        assert len(await people.messages(who)) == count
