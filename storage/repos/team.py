"""Queries for the staff's view of the day (``/team``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    CheckIn,
    CheckInKind,
    DayPlan,
    Direction,
    Message,
    PlannedTask,
    Reminder,
    ReminderKind,
    ReminderStatus,
    TaskStatus,
)


async def plans_on(
    session: AsyncSession, coworker_ids: Sequence[int], day: date
) -> dict[int, DayPlan]:
    rows = await session.scalars(
        select(DayPlan).where(DayPlan.coworker_id.in_(coworker_ids), DayPlan.day == day)
    )
    return {plan.coworker_id: plan for plan in rows}


async def morning_answers(
    session: AsyncSession, coworker_ids: Sequence[int], day: date
) -> dict[int, str]:
    rows = await session.execute(
        select(CheckIn.person_id, CheckIn.value).where(
            CheckIn.person_id.in_(coworker_ids),
            CheckIn.day == day,
            CheckIn.kind == CheckInKind.MORNING,
        )
    )
    return {person_id: value for person_id, value in rows.tuples()}


async def unanswered(
    session: AsyncSession, coworker_ids: Sequence[int], since: datetime
) -> dict[int, int]:
    """Per co-worker: messages they sent since ``since`` and after staff last wrote to them."""
    last_answer = (
        select(Message.coworker_id, func.max(Message.created_at).label("at"))
        .where(Message.direction == Direction.TO_COWORKER, Message.coworker_id.in_(coworker_ids))
        .group_by(Message.coworker_id)
        .subquery()
    )
    rows = await session.execute(
        select(Message.coworker_id, func.count())
        .outerjoin(last_answer, last_answer.c.coworker_id == Message.coworker_id)
        .where(
            Message.coworker_id.in_(coworker_ids),
            Message.direction == Direction.FROM_COWORKER,
            Message.created_at >= since,
            (last_answer.c.at.is_(None)) | (Message.created_at > last_answer.c.at),
        )
        .group_by(Message.coworker_id)
    )
    return {coworker_id: count for coworker_id, count in rows.tuples()}


async def heavy_days(session: AsyncSession, coworker_ids: Sequence[int], day: date) -> set[int]:
    """Those who answered the evening check-in with "heavy" on ``day``."""
    rows = await session.scalars(
        select(CheckIn.person_id).where(
            CheckIn.person_id.in_(coworker_ids),
            CheckIn.day == day,
            CheckIn.kind == CheckInKind.EVENING,
            CheckIn.value == "heavy",
        )
    )
    return set(rows)


async def unanswered_reminders(
    session: AsyncSession, coworker_ids: Sequence[int], since: datetime
) -> dict[int, int]:
    """Per co-worker: reminders sent since ``since`` (every repeat used up) whose task is
    still open: left unanswered."""
    rows = await session.execute(
        select(Reminder.person_id, func.count())
        .join(PlannedTask, PlannedTask.id == Reminder.planned_task_id)
        .where(
            Reminder.person_id.in_(coworker_ids),
            Reminder.status == ReminderStatus.SENT,
            Reminder.kind != ReminderKind.HEADS_UP,
            Reminder.last_sent_at >= since,
            PlannedTask.status.in_((TaskStatus.OPEN, TaskStatus.STARTED)),
        )
        .group_by(Reminder.person_id)
    )
    return {person_id: count for person_id, count in rows.tuples()}
