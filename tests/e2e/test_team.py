"""``/team``: a support person sees today for each co-worker of their groups at a glance:
the morning check-in, tasks done of planned, help asked, messages waiting for an answer."""

from __future__ import annotations

import re

from sqlalchemy import select

from bot.sandbox.client import SandboxClient
from bot.services.planning import add_task
from storage.models import (
    CheckIn,
    CheckInKind,
    Direction,
    Message,
    PlannedTask,
    Role,
    TaskStatus,
    TaskTemplate,
)
from tests.e2e.conftest import RunningBot
from tests.e2e.helpers import new_bot_message, seen
from tests.e2e.test_joining import invite, join

ANNA, KIM, SARA = 2001, 1001, 1002


async def test_the_day_at_a_glance(running_bot: RunningBot, people: SandboxClient) -> None:
    services = running_bot.services
    anna = await invite(services, Role.SUPPORT, "Anna")
    await join(people, ANNA, "Anna", anna.code)
    kim = await invite(services, Role.COWORKER, "Kim")
    await join(people, KIM, "Kim", kim.code)
    await people.wait_for(ANNA, lambda m: m.text.startswith("Kim har gått med"))  # told
    await invite(services, Role.COWORKER, "Sara")
    await invite(services, Role.COWORKER, "Lo", group="Rutt 2")  # not Anna's group
    today = services.today()
    async with services.sessions.begin() as session:
        for title in ("Vattna blommorna", "Torka borden", "Sortera posten"):
            session.add(TaskTemplate(title=title, created_at=services.now()))
            await session.flush()
            await add_task.once(services, session, "Kim", title, day=today)
        tasks = list(await session.scalars(select(PlannedTask).order_by(PlannedTask.id)))
        tasks[0].status = TaskStatus.DONE
        tasks[1].status = TaskStatus.HELP
        session.add(
            CheckIn(
                person_id=kim.person.id,
                day=today,
                kind=CheckInKind.MORNING,
                value="amber",
                created_at=services.now(),
            )
        )
        for n in range(2):
            session.add(
                Message(
                    coworker_id=kim.person.id,
                    direction=Direction.FROM_COWORKER,
                    kind="text",
                    body=f"Meddelande {n}",
                    source_chat_id=KIM,
                    source_message_id=100 + n,
                    created_at=services.now(),
                )
            )

    known = await seen(people, ANNA)
    await people.send_text(ANNA, "/team")
    view = await new_bot_message(people, ANNA, known)
    assert view.text.splitlines() == [
        "Idag, tisdag 24 november",
        "",
        "Rutt 1",
        "🟡 Kim · 1 av 3 klara · 🙋 1 · ✉️ 2 · inga kontaktpersoner",
        "⚪ Sara · ingen lista idag · inga kontaktpersoner",
        "",
        "🟢🟡🔴 morgonens svar (⚪ inget svar) · 🙋 bett om hjälp · ✉️ obesvarade "
        "meddelanden. Tryck på ett namn för dagens lista.",
    ]
    assert view.buttons() == ["Kim", "Sara"]
    await people.press(ANNA, view.message_id, text="Kim")
    shown = await people.wait_for(ANNA, lambda m: m.text.startswith("Kim, tisdag 24 november"))
    # The clock's drafting may order the draft either way; what is shown is what was done.
    lines = shown.text.splitlines()
    assert any(re.fullmatch(r"✅ \d\. Vattna blommorna", line) for line in lines), lines
    assert any(re.fullmatch(r"🙋 \d\. Torka borden \(ny, bett om hjälp\)", line) for line in lines)

    known = await seen(people, KIM)
    await people.send_text(KIM, "/team")
    assert (await new_bot_message(people, KIM, known)).text == "Det här kan bara personal göra."
