"""What one "Done" press costs the database: a count of statements and transactions
(bot/runtime/intake.py, handlers/dedupe.py, handlers/tasks.py). A count, not a timing: the
press's CPU is mostly the number of statements and transactions it runs
(docs/performance.md, "A button press")."""

from __future__ import annotations

import asyncio

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.runtime.intake import intake_of
from bot.sandbox.client import SandboxClient
from storage.models import DayPlan, TaskStatus
from storage.repos import inbox as inbox_repo
from tests.e2e.conftest import RunningBot
from tests.e2e.helpers import coworker_with_plan, new_bot_message, open_today, seen
from tests.e2e.statements import counting
from tests.e2e.test_buttons import list_sent, statuses

KIM = 1001
# What a "Done" press on a task's card runs, the morning list's edit included: storing
# the update and taking it (one statement: the chat has nothing else open), then the
# sender with their conversation state; the task marked done (its reminders are closed
# only when it has one waiting: this task has no time, so none) and the list; marking the
# update done, which says that the chat has no next update to take. PostgreSQL also takes
# the chat's lock as the update is stored.
MAX_STATEMENTS = {"sqlite": 5, "postgresql": 6}
MAX_TRANSACTIONS = 3


async def all_done(bot: RunningBot) -> None:
    """Wait until the inbox has nothing open (the update is marked done) and the chat's
    processing has ended (a press that came before would be taken another way)."""
    async with asyncio.timeout(10):
        while True:
            async with bot.services.sessions() as session:
                if await inbox_repo.count_open(session) == 0:
                    break
            await asyncio.sleep(0.02)
        while intake_of(bot.application).processing:  # noqa: ASYNC110
            await asyncio.sleep(0.01)


async def test_a_done_press_runs_few_statements(
    running_bot: RunningBot, people: SandboxClient, engine: AsyncEngine
) -> None:
    services = running_bot.services
    _, (task, other) = await coworker_with_plan(
        services, name="Kim", telegram_id=KIM, day=services.today(), titles=("Vattna", "Diska")
    )
    await list_sent(running_bot, task.day_plan_id)
    await people.add_user(KIM, "Kim")
    today = await open_today(people, KIM)
    known = await seen(people, KIM)
    await people.press(KIM, today.message_id, text="1. Vattna")
    card = await new_bot_message(people, KIM, known, "Vattna")
    await all_done(running_bot)

    ours = {"vardag-polling", f"vardag-lane-{KIM}"}
    with counting(engine, ours.__contains__) as counted:
        pressed = await people.press(KIM, card.message_id, text="✅ Klar")
        answer = await people.wait_for_answer(pressed)
        listed = await people.wait_for(
            KIM, lambda m: m.message_id == today.message_id and m.edited > 0
        )
        await all_done(running_bot)

    assert answer["text"] == "Bra jobbat!"
    assert listed.text != today.text
    assert await statuses(running_bot) == {task.id: TaskStatus.DONE, other.id: TaskStatus.OPEN}
    async with services.sessions() as session:
        plan = await session.get(DayPlan, task.day_plan_id)
    assert plan is not None and plan.list_message_id == today.message_id
    assert len(counted.statements) <= MAX_STATEMENTS[engine.dialect.name], str(counted)
    assert counted.transactions <= MAX_TRANSACTIONS, str(counted)
    print(counted)
