"""Queries about day plans and the tasks on them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.models import DayPlan, Person, PlannedTask, PlanStatus, TaskStatus
from storage.repos import first


async def plan_for(session: AsyncSession, coworker_id: int, day: date) -> DayPlan | None:
    return await first(
        session, select(DayPlan).where(DayPlan.coworker_id == coworker_id, DayPlan.day == day)
    )


async def unsent_from(session: AsyncSession, coworker_id: int, day: date) -> list[DayPlan]:
    """The co-worker's plans from ``day`` on that have not been sent yet."""
    return list(
        await session.scalars(
            select(DayPlan).where(
                DayPlan.coworker_id == coworker_id,
                DayPlan.day >= day,
                DayPlan.status != PlanStatus.SENT,
            )
        )
    )


async def planned_task(session: AsyncSession, task_id: int) -> PlannedTask | None:
    return await first(
        session,
        select(PlannedTask)
        .where(PlannedTask.id == task_id)
        .options(
            selectinload(PlannedTask.plan)
            .selectinload(DayPlan.tasks)
            .selectinload(PlannedTask.template)
        ),
    )


async def has_completed(session: AsyncSession, coworker_id: int, template_id: int) -> bool:
    """Whether the co-worker has ever finished this task (else it is first-time)."""
    done = (
        select(PlannedTask.id)
        .join(DayPlan)
        .where(
            DayPlan.coworker_id == coworker_id,
            PlannedTask.template_id == template_id,
            PlannedTask.status == TaskStatus.DONE,
        )
    )
    return bool(await session.scalar(select(exists(done))))


async def due_for_delivery(
    session: AsyncSession, now: datetime, not_before: datetime, limit: int
) -> list[tuple[DayPlan, Person]]:
    """Unsent plans whose morning time has come (and is not older than ``not_before``)."""
    rows = await session.execute(
        select(DayPlan, Person)
        .join(Person, Person.id == DayPlan.coworker_id)
        .where(
            DayPlan.status.in_([PlanStatus.DRAFT, PlanStatus.APPROVED]),
            DayPlan.deliver_at <= now,
            DayPlan.deliver_at >= not_before,
            DayPlan.tasks.any(),
            Person.active.is_(True),
            Person.unreachable.is_(False),
            Person.telegram_user_id.is_not(None),
        )
        .order_by(DayPlan.deliver_at, DayPlan.id)
        .limit(limit)
    )
    return [(plan, person) for plan, person in rows.tuples()]


async def carried_copies(
    session: AsyncSession, coworker_id: int, template_id: int, origin: date, after: date
) -> list[PlannedTask]:
    """Open copies of a task carried over from ``origin`` onto later plans still in draft."""
    return list(
        await session.scalars(
            select(PlannedTask)
            .join(DayPlan)
            .where(
                DayPlan.coworker_id == coworker_id,
                DayPlan.day > after,
                DayPlan.status == PlanStatus.DRAFT,
                PlannedTask.template_id == template_id,
                PlannedTask.carried_from == origin,
                PlannedTask.status == TaskStatus.OPEN,
            )
        )
    )
