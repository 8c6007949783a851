"""Queries for task reminders (see ``storage.models.Reminder``)."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Reminder, ReminderStatus


async def close_for_task(session: AsyncSession, task_id: int) -> None:
    """The co-worker answered the task (done, not today, help): no more reminders of it."""
    await session.execute(
        update(Reminder)
        .where(Reminder.planned_task_id == task_id, Reminder.status == ReminderStatus.PENDING)
        .values(status=ReminderStatus.ANSWERED)
    )
