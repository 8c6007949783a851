"""Queries for task reminders (see ``storage.models.Reminder``)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import cast

from sqlalchemy import Table, and_, bindparam, exists, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import (
    DayPlan,
    OutboxMessage,
    Person,
    PlannedTask,
    PlanStatus,
    Reminder,
    ReminderKind,
    ReminderStatus,
    TaskStatus,
    TaskTemplate,
)

OPEN_STATUSES = (TaskStatus.OPEN, TaskStatus.STARTED)


_REMINDERS = cast(Table, Reminder.__table__)
# Built once, on the table: no reminder objects are loaded to be kept in step with it.
_CLOSE_FOR_TASK = (
    update(_REMINDERS)
    .where(
        _REMINDERS.c.planned_task_id == bindparam("task_id"),
        _REMINDERS.c.status == ReminderStatus.PENDING,
    )
    .values(status=ReminderStatus.ANSWERED)
)


async def close_for_task(session: AsyncSession, task_id: int) -> None:
    """The co-worker answered the task (done, not today, help): no more reminders of it.
    (Reminder objects already in the session are not updated.)"""
    await session.execute(_CLOSE_FOR_TASK, {"task_id": task_id})


@dataclass(frozen=True)
class TimedTask:
    """A timed, open task on a sent list that still lacks one of its reminder rows."""

    task_id: int
    coworker_id: int
    day: date
    at: time
    heads_up_minutes: int | None


async def timed_tasks_lacking_reminders(
    session: AsyncSession, day: date, after_id: int, limit: int
) -> list[TimedTask]:
    """Open or started tasks with a time on ``day``'s sent lists that have no DUE row, or
    no HEADS_UP row while their template asks for one. Task ids above ``after_id``."""
    due_row = aliased(Reminder)
    heads_up_row = aliased(Reminder)
    lacks_due = ~exists().where(
        due_row.planned_task_id == PlannedTask.id, due_row.kind == ReminderKind.DUE
    )
    lacks_heads_up = and_(
        TaskTemplate.heads_up_minutes > 0,
        ~exists().where(
            heads_up_row.planned_task_id == PlannedTask.id,
            heads_up_row.kind == ReminderKind.HEADS_UP,
        ),
    )
    rows = await session.execute(
        select(
            PlannedTask.id,
            DayPlan.coworker_id,
            DayPlan.day,
            PlannedTask.time_of_day,
            TaskTemplate.heads_up_minutes,
        )
        .join(DayPlan, DayPlan.id == PlannedTask.day_plan_id)
        .join(TaskTemplate, TaskTemplate.id == PlannedTask.template_id)
        .where(
            DayPlan.day == day,
            DayPlan.status == PlanStatus.SENT,
            PlannedTask.time_of_day.is_not(None),
            PlannedTask.status.in_(OPEN_STATUSES),
            PlannedTask.id > after_id,
            lacks_due | lacks_heads_up,
        )
        .order_by(PlannedTask.id)
        .limit(limit)
    )
    return [
        TimedTask(task_id, coworker_id, plan_day, at, heads_up)
        for task_id, coworker_id, plan_day, at, heads_up in rows.tuples()
        if at is not None
    ]


@dataclass(frozen=True)
class NewReminder:
    """A PENDING reminder to make, not yet repeated."""

    task_id: int
    person_id: int
    kind: ReminderKind
    due_at: datetime


async def add_all_absent(
    session: AsyncSession, reminders: Sequence[NewReminder], now: datetime
) -> int:
    """Each reminder, unless its task has one of its kind already: one statement, whatever
    their number. How many were added."""
    if not reminders:
        return 0
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(Reminder)
        .on_conflict_do_nothing(index_elements=["planned_task_id", "kind"])
        .returning(Reminder.id)
    )
    rows = [
        {
            "planned_task_id": reminder.task_id,
            "person_id": reminder.person_id,
            "kind": reminder.kind,
            "status": ReminderStatus.PENDING,
            "due_at": reminder.due_at,
            "repeats": 0,
            "created_at": now,
        }
        for reminder in reminders
    ]
    return len((await session.scalars(statement, rows)).all())


async def set_snooze(
    session: AsyncSession, *, task_id: int, person_id: int, due_at: datetime, now: datetime
) -> None:
    """Create the task's SNOOZE row, or move it: PENDING at ``due_at``, not yet repeated."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(Reminder).values(
        planned_task_id=task_id,
        person_id=person_id,
        kind=ReminderKind.SNOOZE,
        status=ReminderStatus.PENDING,
        due_at=due_at,
        repeats=0,
        created_at=now,
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["planned_task_id", "kind"],
            set_={"status": ReminderStatus.PENDING, "due_at": due_at, "repeats": 0},
        )
    )


@dataclass(frozen=True)
class DueReminder:
    reminder: Reminder
    task: PlannedTask
    day: date
    person: Person


async def due(session: AsyncSession, now: datetime, limit: int) -> list[DueReminder]:
    """PENDING reminders whose time has come, oldest first, with their task and person
    (locked on PostgreSQL, so two ticks never send the same one)."""
    rows = await session.execute(
        select(Reminder, PlannedTask, DayPlan.day, Person)
        .join(PlannedTask, PlannedTask.id == Reminder.planned_task_id)
        .join(DayPlan, DayPlan.id == PlannedTask.day_plan_id)
        .join(Person, Person.id == Reminder.person_id)
        .where(Reminder.status == ReminderStatus.PENDING, Reminder.due_at <= now)
        .order_by(Reminder.due_at, Reminder.id)
        .limit(limit)
        .with_for_update(of=Reminder, skip_locked=True)
    )
    return [DueReminder(r, task, day, person) for r, task, day, person in rows.tuples()]


async def count_sent(
    session: AsyncSession, person_ids: Collection[int], kind: str, start: datetime, end: datetime
) -> dict[int, int]:
    """How many outbox messages of ``kind`` were queued for each of the people in
    [start, end): one query (someone with none is not in it)."""
    if not person_ids:
        return {}
    rows = await session.execute(
        select(OutboxMessage.person_id, func.count())
        .where(
            OutboxMessage.person_id.in_(person_ids),
            OutboxMessage.kind == kind,
            OutboxMessage.created_at >= start,
            OutboxMessage.created_at < end,
        )
        .group_by(OutboxMessage.person_id)
    )
    return {person_id: count for person_id, count in rows.tuples() if person_id is not None}
