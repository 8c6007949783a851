"""Reminders of timed tasks during the co-worker's day, and snoozing them.

Every reminder is a row with a due time (``storage.models.Reminder``); one recurring
tick makes the rows a sent list's timed tasks lack, then handles what is due. Nothing
is scheduled anywhere else, so a task added to a sent list later, a list sent late,
and a restart in the middle of the day all just work.

A reminder is sent only when it still helps: not for an answered task, not long after
its time (the bot was down), not in the person's quiet hours, and not beyond the daily
cap. An unanswered one is repeated a few times, spaced out, then left alone.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.i18n import Texts
from bot.outbox.queue import Queued, message, queue_all
from bot.rules import localtime as timeutil
from bot.rules.localtime import local_date, local_moment
from bot.telegram.callbacks import Snooze
from bot.views.reminders import SNOOZE_CHOICES, reminder_message
from storage.models import Person, PlannedTask, Reminder, ReminderKind, ReminderStatus
from storage.repos import plans as plan_repo
from storage.repos import reminders as repo
from storage.repos.reminders import OPEN_STATUSES, DueReminder, NewReminder, TimedTask

KIND = "reminder"  # outbox kind of the reminders a co-worker did not ask for: capped
SNOOZE_KIND = "reminder_snooze"  # the first reminder after a snooze they chose
BATCH = 100  # a batch is one transaction: about 40 ms of the loop and the write lock
# A queued reminder the sender could not send within this long is dropped, not sent stale.
USEFUL_FOR = timedelta(minutes=10)
# A heads-up with less than this left before the task's time is no use: the DUE follows.
HEADS_UP_MARGIN = timedelta(minutes=1)


# --- the tick ----------------------------------------------------------------------------


async def tick(services: Services) -> int:
    """One round of the reminder job. Returns how many reminders were queued."""
    await create_missing(services)
    return await send_due(services)


async def create_missing(services: Services) -> int:
    """Make the DUE (and HEADS_UP) rows of today's sent timed tasks that lack them, a
    batch in one statement."""
    today = services.today()
    now = services.now()
    created = 0
    after_id = 0
    while True:
        async with services.sessions.begin() as session:
            lacking = await repo.timed_tasks_lacking_reminders(session, today, after_id, BATCH)
            rows = [row for item in lacking for row in _reminders_of(services, item)]
            created += await repo.add_all_absent(session, rows, now)
        if len(lacking) < BATCH:
            return created
        after_id = lacking[-1].task_id


def _reminders_of(services: Services, item: TimedTask) -> list[NewReminder]:
    """The task's DUE reminder at its time, and a HEADS_UP before it if its template asks
    for one (a row the task has already is not made again)."""
    at = local_moment(item.day, item.at, services.zone)
    rows = [NewReminder(item.task_id, item.coworker_id, ReminderKind.DUE, at)]
    if item.heads_up_minutes:
        early = at - timedelta(minutes=item.heads_up_minutes)
        rows.append(NewReminder(item.task_id, item.coworker_id, ReminderKind.HEADS_UP, early))
    return rows


async def send_due(services: Services) -> int:
    """Handle every due PENDING reminder: queue it, or record why not. One transaction
    per batch, its messages queued in one statement; returns how many were queued."""
    queued = 0
    while True:
        now = services.now()
        async with services.sessions.begin() as session:
            batch = await repo.due(session, now, BATCH)
            used = await _CapCounter.of(services, session, now, {i.person.id for i in batch})
            messages = [
                outgoing
                for item in batch
                if (outgoing := _handle(services, item, now, used)) is not None
            ]
            queued += len(await queue_all(session, messages, now))
        if len(batch) < BATCH:
            return queued


class _CapCounter:
    """Reminders queued for each person this local day: counted for a batch's people at
    once, and kept up to date as the batch queues more."""

    def __init__(self, counts: dict[int, int]) -> None:
        self._counts = counts

    @classmethod
    async def of(
        cls, services: Services, session: AsyncSession, now: datetime, people: set[int]
    ) -> _CapCounter:
        day = local_date(now, services.zone)
        start = local_moment(day, time(0), services.zone)
        end = local_moment(day + timedelta(days=1), time(0), services.zone)
        return cls(await repo.count_sent(session, people, KIND, start, end))

    def count(self, person_id: int) -> int:
        return self._counts.get(person_id, 0)

    def add(self, person_id: int) -> None:
        self._counts[person_id] = self._counts.get(person_id, 0) + 1


def _handle(
    services: Services, item: DueReminder, now: datetime, used: _CapCounter
) -> Queued | None:
    """The reminder's message to queue, with its next repeat scheduled (or its end), or
    None with the reason it is not sent recorded as its status. A message whose key is
    queued already (the same send of the same reminder) is not queued twice; it counted
    to the cap when it was."""
    reminder = item.reminder
    held_back = _held_back(services, item, now, used)
    if held_back is not None:
        reminder.status = held_back
        return None
    queued = _message(services, item, now)
    if _counts_to_cap(reminder):
        used.add(item.person.id)
    reminder.last_sent_at = now
    _schedule_next(services, reminder, now)
    return queued


def _counts_to_cap(reminder: Reminder) -> bool:
    """Only the first reminder after a snooze was asked for; every other one counts."""
    return not (reminder.kind is ReminderKind.SNOOZE and reminder.repeats == 0)


def _task_moment(services: Services, item: DueReminder) -> datetime | None:
    at = item.task.time_of_day
    return local_moment(item.day, at, services.zone) if at is not None else None


def _held_back(
    services: Services, item: DueReminder, now: datetime, used: _CapCounter
) -> ReminderStatus | None:
    """Why the reminder is not sent (its new status), or None to send it."""
    reminder, person, settings = item.reminder, item.person, services.settings
    if item.task.status not in OPEN_STATUSES:
        return ReminderStatus.ANSWERED
    if now - reminder.due_at > timedelta(minutes=settings.reminder_grace_minutes):
        return ReminderStatus.MISSED
    if reminder.kind is ReminderKind.HEADS_UP:
        task_at = _task_moment(services, item)
        if task_at is None or task_at - now < HEADS_UP_MARGIN:
            return ReminderStatus.MISSED
    if in_quiet_hours(person, now, services.zone):
        return ReminderStatus.SKIPPED
    if _counts_to_cap(reminder) and used.count(person.id) >= settings.daily_reminder_cap:
        return ReminderStatus.SKIPPED
    if not person.active or person.unreachable or person.telegram_user_id is None:
        return ReminderStatus.SKIPPED
    return None


def _message(services: Services, item: DueReminder, now: datetime) -> Queued:
    """The outbox message of this send of the reminder."""
    reminder, person = item.reminder, item.person
    task_at = _task_moment(services, item)
    useful_until = now + USEFUL_FOR
    minutes_left = None
    if reminder.kind is ReminderKind.HEADS_UP and task_at is not None:
        minutes_left = math.ceil((task_at - now).total_seconds() / 60)
        useful_until = min(useful_until, task_at)
    rendered = reminder_message(
        Texts(person.language),
        item.task,
        kind=reminder.kind,
        repeat=reminder.repeats > 0,
        minutes_left=minutes_left,
    )
    return message(
        person,  # on Telegram: _held_back saw to it
        rendered,
        key=f"reminder:{reminder.id}:{int(reminder.due_at.timestamp())}:{reminder.repeats}",
        kind=KIND if _counts_to_cap(reminder) else SNOOZE_KIND,
        useful_until=useful_until,
        extra={"reminder_id": reminder.id},
    )


def _schedule_next(services: Services, reminder: Reminder, now: datetime) -> None:
    """Schedule the next repeat, spaced from the last one, or stop. A heads-up is never
    repeated: the reminder at the task's time follows it."""
    settings = services.settings
    if reminder.kind is ReminderKind.HEADS_UP or reminder.repeats >= settings.reminder_repeats:
        reminder.status = ReminderStatus.SENT
        return
    every = timedelta(minutes=settings.reminder_repeat_minutes)
    following = reminder.due_at + every
    # After a late start the next repeat still keeps its distance from this one.
    reminder.due_at = following if following > now else now + every
    reminder.repeats += 1


def in_quiet_hours(person: Person, moment: datetime, zone: ZoneInfo) -> bool:
    return timeutil.in_quiet_hours(person.quiet_start, person.quiet_end, moment, zone)


# --- Later and snooze ---------------------------------------------------------------------


class Refused(enum.Enum):
    NOT_YOURS = "not_yours"  # no such task, or someone else's (stale or forged)
    OTHER_DAY = "other_day"
    ANSWERED = "answered"  # done, help asked, not today, carried over
    UNKNOWN = "unknown"  # a snooze time no view offers (forged)


class ReminderError(Exception):
    def __init__(self, refused: Refused) -> None:
        super().__init__(refused.value)
        self.refused = refused


@dataclass(frozen=True)
class Snoozed:
    task: PlannedTask
    at: datetime | None  # None: it would land in quiet hours, so no more reminders today


def split_snooze(target: int) -> tuple[int, int]:
    """(task id, minutes) of a SNOOZE button's target."""
    snooze = Snooze.decode(target)
    return snooze.task_id, snooze.minutes


async def task_to_put_off(
    services: Services, session: AsyncSession, person: Person, task_id: int
) -> PlannedTask:
    """The person's own open task on today's list, or :class:`ReminderError`."""
    task = await plan_repo.planned_task(session, task_id)
    if task is None or task.plan.coworker_id != person.id:
        raise ReminderError(Refused.NOT_YOURS)
    if task.plan.day != services.today():
        raise ReminderError(Refused.OTHER_DAY)
    if task.status not in OPEN_STATUSES:
        raise ReminderError(Refused.ANSWERED)
    return task


async def snooze(services: Services, session: AsyncSession, person: Person, target: int) -> Snoozed:
    """Remind the person of the task again in the chosen minutes; the reminders already
    running stop. A time in quiet hours (or tomorrow) means no more reminders today."""
    task_id, minutes = split_snooze(target)
    if minutes not in SNOOZE_CHOICES:
        raise ReminderError(Refused.UNKNOWN)
    task = await task_to_put_off(services, session, person, task_id)
    await repo.close_for_task(session, task.id)
    # On the whole minute: the reminder comes at the very time the confirmation names.
    at = (services.now() + timedelta(minutes=minutes)).replace(second=0, microsecond=0)
    if in_quiet_hours(person, at, services.zone) or _another_day(at, task.plan.day, services):
        return Snoozed(task, None)
    await repo.set_snooze(
        session, task_id=task.id, person_id=person.id, due_at=at, now=services.now()
    )
    return Snoozed(task, at)


def _another_day(moment: datetime, day: date, services: Services) -> bool:
    return local_date(moment, services.zone) != day
