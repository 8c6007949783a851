"""Queries for the support person's review: which lists go to whom in the evening."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ContactPersons, DayPlan, OutboxMessage, Person, PlanStatus


async def lists_to_review(session: AsyncSession, day: date) -> list[tuple[DayPlan, Person]]:
    """Unsent plans for ``day`` with tasks, each with its (active) co-worker, ordered by
    co-worker. Who reviews each is the staff member responsible now
    (``bot/services/messages/responsible.py``)."""
    rows = await session.execute(
        select(DayPlan, Person)
        .join(Person, Person.id == DayPlan.coworker_id)
        .where(
            DayPlan.day == day,
            DayPlan.status != PlanStatus.SENT,
            DayPlan.tasks.any(),
            Person.active.is_(True),
        )
        .order_by(Person.display_name, Person.id)
    )
    return [(plan, person) for plan, person in rows.tuples()]


def review_key(staff_id: int, coworker_id: int, day: date) -> str:
    return f"review:{staff_id}:{coworker_id}:{day.isoformat()}"


async def drafts_for_reviewer(session: AsyncSession, staff_id: int, day: date) -> list[DayPlan]:
    """Draft plans for ``day`` of the active co-workers whose review was sent to
    ``staff_id``, or whose primary contact they are."""
    keys = await session.scalars(
        select(OutboxMessage.idempotency_key).where(
            OutboxMessage.idempotency_key.like(f"review:{staff_id}:%:{day.isoformat()}")
        )
    )
    coworker_ids = {int(key.split(":")[2]) for key in keys}
    return list(
        await session.scalars(
            select(DayPlan)
            .join(Person, Person.id == DayPlan.coworker_id)
            .outerjoin(ContactPersons, ContactPersons.coworker_id == Person.id)
            .where(
                DayPlan.day == day,
                DayPlan.status == PlanStatus.DRAFT,
                or_(ContactPersons.primary_id == staff_id, Person.id.in_(coworker_ids)),
                Person.active.is_(True),
            )
            .order_by(DayPlan.id)
        )
    )


async def review_sent_to(session: AsyncSession, coworker_id: int, day: date) -> int | None:
    """The staff member the review of the co-worker's ``day`` was queued for, if any."""
    keys = await session.scalars(
        select(OutboxMessage.idempotency_key).where(
            OutboxMessage.idempotency_key.like(f"review:%:{coworker_id}:{day.isoformat()}")
        )
    )
    for key in keys:
        return int(key.split(":")[1])
    return None
