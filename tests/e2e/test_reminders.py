"""Reminders through the sandbox with the real Application and its own jobs: at the task's
time, "Senare" → 15 min and the snooze reminder, "Klar"; repeats that stop; a restart in
the middle of the day that sends what is still useful and records what is not."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date, time

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings
from bot.context import Services
from bot.rules.clock import MovableClock
from bot.rules.localtime import local_moment
from bot.runtime.app import build_application
from bot.runtime.runner import open_runtime, polling
from bot.sandbox.client import SandboxClient, SandboxMessage
from bot.services.planning import plans as planning
from storage.models import (
    OutboxMessage,
    PlannedTask,
    Reminder,
    ReminderKind,
    ReminderStatus,
    Role,
    TaskStatus,
    TaskTemplate,
)
from storage.repos import people as people_repo
from tests.conftest import TEST_TOKEN
from tests.e2e.conftest import RunningBot
from tests.e2e.helpers import new_bot_message, seen

KIM = 1001
TUESDAY = date(2026, 11, 24)  # the clock fixture's day


async def kim_with_timed_tasks(services: Services, *tasks: tuple[str, time]) -> list[int]:
    """Kim (on Telegram, morning time 08:00) with today's list of timed tasks."""
    async with services.sessions.begin() as session:
        kim = await people_repo.add_person(
            session, name="Kim", role=Role.COWORKER, now=services.now(), telegram_user_id=KIM
        )
        ids = []
        for title, at in tasks:
            template = TaskTemplate(title=title, created_at=services.now(), expected_minutes=20)
            session.add(template)
            await session.flush()
            task = await planning.add_task(
                services, session, coworker=kim, template=template, day=TUESDAY, at=at
            )
            task.first_time = False
            ids.append(task.id)
    return ids


def set_local(clock: MovableClock, services: Services, hour: int, minute: int) -> None:
    clock.set(local_moment(TUESDAY, time(hour, minute), services.zone))


async def morning_list_arrives(
    people: SandboxClient, clock: MovableClock, services: Services
) -> SandboxMessage:
    known = await seen(people, KIM)
    set_local(clock, services, 8, 0)
    return await new_bot_message(people, KIM, known, "God morgon")


async def reminders_of(services: Services, task_id: int) -> dict[ReminderKind, Reminder]:
    async with services.sessions() as session:
        rows = await session.scalars(select(Reminder).where(Reminder.planned_task_id == task_id))
        return {row.kind: row for row in rows}


async def eventually(check: Callable[[], Awaitable[bool]]) -> None:
    """Wait until the database shows what the bot's own jobs are about to record."""
    for _ in range(200):
        if await check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the database never reached the expected state")


def is_reminder(message: SandboxMessage) -> bool:
    return message.text.startswith("Nu är det dags") or "väntar fortfarande" in message.text


async def new_reminder(people: SandboxClient, known: set[int]) -> SandboxMessage:
    """The next reminder in Kim's chat (other messages of the day may come in between)."""
    return await people.wait_for(
        KIM, lambda m: m.from_bot and m.message_id not in known and is_reminder(m)
    )


async def test_reminder_later_snooze_and_done(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    services, clock = running_bot.services, running_bot.clock
    (task_id,) = await kim_with_timed_tasks(services, ("Vattna blommorna", time(10, 0)))
    await people.add_user(KIM, "Kim", started=True)
    await morning_list_arrives(people, clock, services)

    known = await seen(people, KIM)
    set_local(clock, services, 10, 0)
    reminder = await new_reminder(people, known)
    assert reminder.text == "Nu är det dags: Vattna blommorna."
    assert reminder.buttons() == ["Visa uppgiften", "✅ Klar", "⏰ Senare"]

    # A forged task and a snooze time no button offers: a clear answer, nothing changes.
    forged = await people.press(KIM, reminder.message_id, data="w:999999")
    answer = await people.wait_for_answer(forged)
    assert (answer["text"], answer["show_alert"]) == (
        "Den uppgiften finns inte på din lista.",
        True,
    )
    odd = await people.press(KIM, reminder.message_id, data=f"u:{task_id * 1000 + 20}")
    assert (await people.wait_for_answer(odd))["text"] == "Den knappen fungerar inte längre."

    await people.press(KIM, reminder.message_id, text="⏰ Senare")
    choices = await people.wait_for(
        KIM, lambda m: m.message_id == reminder.message_id and m.buttons()[0] == "15 min"
    )
    assert choices.text == "Nu är det dags: Vattna blommorna."
    assert choices.buttons() == ["15 min", "30 min", "1 timme"]

    await people.press(KIM, reminder.message_id, text="15 min")
    confirmed = await people.wait_for(
        KIM, lambda m: m.message_id == reminder.message_id and m.text.startswith("Okej!")
    )
    assert confirmed.text == "Okej! Jag påminner dig kl 10:15."
    assert confirmed.buttons() == ["Visa uppgiften"]
    rows = await reminders_of(services, task_id)
    assert rows[ReminderKind.DUE].status is ReminderStatus.ANSWERED
    snooze = rows[ReminderKind.SNOOZE]
    assert (snooze.status, snooze.repeats) == (ReminderStatus.PENDING, 0)
    assert snooze.due_at == local_moment(TUESDAY, time(10, 15), services.zone)

    known = await seen(people, KIM)
    set_local(clock, services, 10, 15)
    again = await new_reminder(people, known)
    assert again.text == "Nu är det dags igen: Vattna blommorna."
    assert again.buttons() == ["Visa uppgiften", "✅ Klar", "⏰ Senare"]

    done = await people.press(KIM, again.message_id, text="✅ Klar")
    assert (await people.wait_for_answer(done))["answered"]

    async def answered() -> bool:
        return (await reminders_of(services, task_id))[
            ReminderKind.SNOOZE
        ].status is ReminderStatus.ANSWERED

    set_local(clock, services, 10, 30)  # the snooze's repeat would be due now
    await eventually(answered)
    async with services.sessions() as session:
        task = await session.get(PlannedTask, task_id)
    assert task is not None and task.status is TaskStatus.DONE
    later = [m for m in await people.bot_messages(KIM) if m.message_id > again.message_id]
    assert [m.text for m in later if is_reminder(m)] == []


async def test_an_unanswered_reminder_is_repeated_then_left(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    services, clock = running_bot.services, running_bot.clock
    assert services.settings.reminder_repeats == 2
    assert services.settings.reminder_repeat_minutes == 15
    (task_id, _) = await kim_with_timed_tasks(
        services, ("Vattna blommorna", time(10, 0)), ("Sortera posten", time(11, 0))
    )
    await people.add_user(KIM, "Kim", started=True)
    await morning_list_arrives(people, clock, services)

    expected = [
        (10, 0, "Nu är det dags: Vattna blommorna."),
        (10, 15, "Vattna blommorna väntar fortfarande. Ta det i din egen takt."),
        (10, 30, "Vattna blommorna väntar fortfarande. Ta det i din egen takt."),
    ]
    for hour, minute, text in expected:
        known = await seen(people, KIM)
        set_local(clock, services, hour, minute)
        message = await new_reminder(people, known)
        assert message.text == text
    due = (await reminders_of(services, task_id))[ReminderKind.DUE]
    assert (due.status, due.repeats) == (ReminderStatus.SENT, 2)

    # At 11:00 the next task's reminder shows the job ran; nothing more came about the
    # flowers, in the chat or in the outbox.
    known = await seen(people, KIM)
    set_local(clock, services, 11, 0)
    marker = await new_reminder(people, known)
    assert marker.text == "Nu är det dags: Sortera posten."
    reminders = [m.text for m in await people.bot_messages(KIM) if is_reminder(m)]
    assert reminders == [text for _, _, text in expected] + [marker.text]
    async with services.sessions() as session:
        queued = await session.scalars(select(OutboxMessage))
        for_flowers = [m for m in queued if m.payload.get("reminder_id") == due.id]
    assert len(for_flowers) == 1 + services.settings.reminder_repeats


@contextlib.asynccontextmanager
async def bot_running(
    settings: Settings, clock: MovableClock, engine: AsyncEngine
) -> AsyncIterator[RunningBot]:
    """The application started on the database, as ``vardag run`` does; stopped on exit."""
    async with open_runtime(settings, clock, engine) as runtime:
        application = build_application(runtime.services, TEST_TOKEN)
        async with polling(application, poll_timeout=1):
            yield RunningBot(application, runtime.services, clock)


async def test_a_restart_sends_what_is_still_useful_and_records_the_rest(
    sandbox_settings: Settings, clock: MovableClock, engine: AsyncEngine, people: SandboxClient
) -> None:
    await people.add_user(KIM, "Kim", started=True)
    async with bot_running(sandbox_settings, clock, engine) as first:
        services = first.services
        old, recent = await kim_with_timed_tasks(
            services, ("Vattna blommorna", time(10, 0)), ("Sortera posten", time(10, 40))
        )
        await morning_list_arrives(people, clock, services)

        async def rows_made() -> bool:
            return all([await reminders_of(services, t) for t in (old, recent)])

        await eventually(rows_made)

    # The bot was down from 08:00 until 10:50: the 10:00 reminder is 50 minutes late
    # (more than the 30-minute grace), the 10:40 one 10 minutes.
    assert sandbox_settings.reminder_grace_minutes == 30
    known = await seen(people, KIM)
    set_local(clock, services, 10, 50)
    async with bot_running(sandbox_settings, clock, engine) as second:
        message = await new_reminder(people, known)
        assert message.text == "Nu är det dags: Sortera posten."
        assert message.buttons() == ["Visa uppgiften", "✅ Klar", "⏰ Senare"]

        async def old_recorded() -> bool:
            due = (await reminders_of(second.services, old))[ReminderKind.DUE]
            return due.status is not ReminderStatus.PENDING

        await eventually(old_recorded)
        old_due = (await reminders_of(second.services, old))[ReminderKind.DUE]
        recent_due = (await reminders_of(second.services, recent))[ReminderKind.DUE]
    assert (old_due.status, old_due.last_sent_at) == (ReminderStatus.MISSED, None)
    assert (recent_due.status, recent_due.repeats) == (ReminderStatus.PENDING, 1)
    reminders = [m.text for m in await people.bot_messages(KIM) if is_reminder(m)]
    assert reminders == ["Nu är det dags: Sortera posten."]
