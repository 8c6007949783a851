"""Queries for a co-worker's look back and ahead: /week, /history and the evening preview."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import DayPlan, Person, PlannedTask, PlanStatus, TaskStatus
from storage.repos.summary import not_queued, reachable_coworker


async def plans_between(
    session: AsyncSession, coworker_id: int, first: date, last: date
) -> list[DayPlan]:
    """The co-worker's plans from ``first`` to ``last`` (both included), by day, any status."""
    return list(
        await session.scalars(
            select(DayPlan)
            .where(
                DayPlan.coworker_id == coworker_id,
                DayPlan.day >= first,
                DayPlan.day <= last,
            )
            .order_by(DayPlan.day)
        )
    )


async def sent_days(
    session: AsyncSession, coworker_id: int, up_to: date, limit: int
) -> list[tuple[date, int]]:
    """(day, tasks done) for each day up to ``up_to`` whose list was sent, newest first."""
    done = func.count(PlannedTask.id)
    rows = await session.execute(
        select(DayPlan.day, done)
        .outerjoin(
            PlannedTask,
            and_(PlannedTask.day_plan_id == DayPlan.id, PlannedTask.status == TaskStatus.DONE),
        )
        .where(
            DayPlan.coworker_id == coworker_id,
            DayPlan.status == PlanStatus.SENT,
            DayPlan.day <= up_to,
        )
        .group_by(DayPlan.id, DayPlan.day)
        .order_by(DayPlan.day.desc())
        .limit(limit)
    )
    return [(day, count) for day, count in rows.tuples()]


async def previews_due(
    session: AsyncSession, day: date, key_prefix: str, key_suffix: str, after_id: int, limit: int
) -> list[tuple[DayPlan, Person]]:
    """Plans for ``day`` (any status, with tasks) of co-workers who asked for the evening
    preview and have not had it queued yet, ids above ``after_id``, lowest first."""
    rows = await session.execute(
        select(DayPlan, Person)
        .join(Person, Person.id == DayPlan.coworker_id)
        .where(
            DayPlan.day == day,
            DayPlan.tasks.any(PlannedTask.status != TaskStatus.CARRIED_OVER),
            Person.evening_preview.is_(True),
            *reachable_coworker(),
            not_queued(key_prefix, key_suffix),
            DayPlan.id > after_id,
        )
        .order_by(DayPlan.id)
        .limit(limit)
    )
    return [(plan, person) for plan, person in rows.tuples()]
