"""Queries for drafting a co-worker's day (bot/services/drafting.py)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    DayPlan,
    Person,
    PlannedTask,
    PlanStatus,
    Recurrence,
    Role,
    TaskStatus,
    TaskTemplate,
)

# A task in one of these states on an earlier day was not finished and carries over.
UNFINISHED = (TaskStatus.OPEN, TaskStatus.STARTED, TaskStatus.HELP, TaskStatus.NOT_TODAY)


async def coworkers_to_draft(session: AsyncSession) -> list[int]:
    """Ids of every active co-worker, in id order."""
    return list(
        await session.scalars(
            select(Person.id)
            .where(Person.role == Role.COWORKER, Person.active.is_(True))
            .order_by(Person.id)
        )
    )


async def recurrences_of(
    session: AsyncSession, coworker_id: int
) -> list[tuple[Recurrence, TaskTemplate]]:
    """The co-worker's active recurrences of active templates, by id."""
    rows = await session.execute(
        select(Recurrence, TaskTemplate)
        .join(TaskTemplate, TaskTemplate.id == Recurrence.template_id)
        .where(
            Recurrence.coworker_id == coworker_id,
            Recurrence.active.is_(True),
            TaskTemplate.active.is_(True),
        )
        .order_by(Recurrence.id)
    )
    return [(recurrence, template) for recurrence, template in rows.tuples()]


async def unfinished_before(
    session: AsyncSession, coworker_id: int, day: date, begun_by: date
) -> list[tuple[PlannedTask, date]]:
    """Unfinished tasks on the co-worker's plans before ``day`` (and not after
    ``begun_by``: a day that has not started yet has nothing left over), each with
    the day it was first planned for, oldest first."""
    since = func.coalesce(PlannedTask.carried_from, DayPlan.day)
    rows = await session.execute(
        select(PlannedTask, since)
        .join(DayPlan, DayPlan.id == PlannedTask.day_plan_id)
        .where(
            DayPlan.coworker_id == coworker_id,
            DayPlan.day < day,
            DayPlan.day <= begun_by,
            PlannedTask.status.in_(UNFINISHED),
        )
        .order_by(since, DayPlan.day, PlannedTask.position, PlannedTask.id)
    )
    return [(task, first_day) for task, first_day in rows.tuples()]


async def templates_already_for(session: AsyncSession, coworker_id: int, day: date) -> set[int]:
    """Templates of tasks that belonged to ``day`` but are on another plan now: moved
    away because they did not fit (``deferred_from``), or first planned for that day
    and carried or moved on since (``carried_from``)."""
    rows = await session.scalars(
        select(PlannedTask.template_id)
        .join(DayPlan, DayPlan.id == PlannedTask.day_plan_id)
        .where(
            DayPlan.coworker_id == coworker_id,
            DayPlan.day != day,
            or_(PlannedTask.deferred_from == day, PlannedTask.carried_from == day),
        )
    )
    return set(rows)


async def completed_templates(
    session: AsyncSession, coworker_id: int, template_ids: Collection[int]
) -> set[int]:
    """Those of ``template_ids`` the co-worker has finished at least once."""
    if not template_ids:
        return set()
    rows = await session.scalars(
        select(PlannedTask.template_id)
        .join(DayPlan, DayPlan.id == PlannedTask.day_plan_id)
        .where(
            DayPlan.coworker_id == coworker_id,
            PlannedTask.template_id.in_(list(template_ids)),
            PlannedTask.status == TaskStatus.DONE,
        )
        .distinct()
    )
    return set(rows)


async def deferred_out_of(
    session: AsyncSession, coworker_id: int, day: date
) -> list[tuple[PlannedTask, date]]:
    """Tasks moved away from ``day`` because they did not fit, with the day they are on now."""
    rows = await session.execute(
        select(PlannedTask, DayPlan.day)
        .join(DayPlan, DayPlan.id == PlannedTask.day_plan_id)
        .where(DayPlan.coworker_id == coworker_id, PlannedTask.deferred_from == day)
        .order_by(DayPlan.day, PlannedTask.position, PlannedTask.id)
    )
    return [(task, on_day) for task, on_day in rows.tuples()]


async def draft_days_from(session: AsyncSession, coworker_id: int, first: date) -> list[date]:
    """The days from ``first`` on whose plan for the co-worker is still a draft, in order."""
    return list(
        await session.scalars(
            select(DayPlan.day)
            .where(
                DayPlan.coworker_id == coworker_id,
                DayPlan.day >= first,
                DayPlan.status == PlanStatus.DRAFT,
            )
            .order_by(DayPlan.day)
        )
    )
