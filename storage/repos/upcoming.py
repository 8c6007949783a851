"""When the next timed things are due: reminders, escalation steps, morning times.

The demo's clock bar asks these to jump straight to the next moment something happens.
"""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import HelpRequest, Person, Reminder, ReminderStatus, Role


async def next_reminder_at(session: AsyncSession, after: datetime) -> datetime | None:
    """The soonest pending reminder (or repeat) due after ``after``."""
    soonest: datetime | None = await session.scalar(
        select(func.min(Reminder.due_at)).where(
            Reminder.status == ReminderStatus.PENDING, Reminder.due_at > after
        )
    )
    return soonest


async def next_escalation_step_at(session: AsyncSession, after: datetime) -> datetime | None:
    """The soonest next step of a help request nobody has acknowledged yet."""
    soonest: datetime | None = await session.scalar(
        select(func.min(HelpRequest.next_step_at)).where(
            HelpRequest.acknowledged_at.is_(None),
            HelpRequest.exhausted_at.is_(None),
            HelpRequest.next_step_at > after,
        )
    )
    return soonest


async def coworker_morning_times(session: AsyncSession) -> list[time]:
    """Every active, joined co-worker's own morning time."""
    rows = await session.scalars(
        select(Person.morning_time).where(
            Person.role == Role.COWORKER,
            Person.active.is_(True),
            Person.telegram_user_id.is_not(None),
        )
    )
    return list(rows)
