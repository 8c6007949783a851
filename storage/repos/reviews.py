"""Queries for the support person's review: which lists go to whom in the evening."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import ContactPersons, DayPlan, Person, PlanStatus


async def lists_to_review(session: AsyncSession, day: date) -> list[tuple[DayPlan, Person, Person]]:
    """Unsent plans for ``day`` with tasks, each with its co-worker and their primary contact
    (active and reachable on Telegram), ordered by contact and co-worker."""
    coworker, staff = aliased(Person), aliased(Person)
    rows = await session.execute(
        select(DayPlan, coworker, staff)
        .join(coworker, coworker.id == DayPlan.coworker_id)
        .join(ContactPersons, ContactPersons.coworker_id == coworker.id)
        .join(staff, staff.id == ContactPersons.primary_id)
        .where(
            DayPlan.day == day,
            DayPlan.status != PlanStatus.SENT,
            DayPlan.tasks.any(),
            coworker.active.is_(True),
            staff.active.is_(True),
            staff.unreachable.is_(False),
            staff.telegram_user_id.is_not(None),
        )
        .order_by(staff.id, coworker.display_name, coworker.id)
    )
    return [(plan, person, contact) for plan, person, contact in rows.tuples()]


async def drafts_for_primary(session: AsyncSession, staff_id: int, day: date) -> list[DayPlan]:
    """Draft plans for ``day`` of the active co-workers whose primary contact is ``staff_id``."""
    return list(
        await session.scalars(
            select(DayPlan)
            .join(Person, Person.id == DayPlan.coworker_id)
            .join(ContactPersons, ContactPersons.coworker_id == Person.id)
            .where(
                DayPlan.day == day,
                DayPlan.status == PlanStatus.DRAFT,
                ContactPersons.primary_id == staff_id,
                Person.active.is_(True),
            )
            .order_by(DayPlan.id)
        )
    )
