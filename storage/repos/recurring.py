"""Queries for managing a co-worker's recurring tasks (bot/services/planning/recurring.py)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import DayPlan, PlannedTask, PlanStatus, Recurrence, TaskStatus, TaskTemplate


async def recurrence_with_template(
    session: AsyncSession, recurrence_id: int
) -> tuple[Recurrence, TaskTemplate] | None:
    row = (
        await session.execute(
            select(Recurrence, TaskTemplate)
            .join(TaskTemplate, TaskTemplate.id == Recurrence.template_id)
            .where(Recurrence.id == recurrence_id)
        )
    ).first()
    return None if row is None else (row[0], row[1])


async def open_drafted_rows(
    session: AsyncSession, recurrence_id: int, first: date
) -> list[PlannedTask]:
    """Open tasks the recurrence put on plans from ``first`` on that are still drafts."""
    return list(
        await session.scalars(
            select(PlannedTask)
            .join(DayPlan, DayPlan.id == PlannedTask.day_plan_id)
            .where(
                PlannedTask.recurrence_id == recurrence_id,
                PlannedTask.status == TaskStatus.OPEN,
                PlannedTask.carried_from.is_(None),
                DayPlan.day >= first,
                DayPlan.status == PlanStatus.DRAFT,
            )
        )
    )
