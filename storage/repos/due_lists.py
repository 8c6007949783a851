"""Which morning lists are due now: those to send, and those held for approval."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import ContactPersons, DayPlan, Group, Person, PlanStatus, Role


def _due_now(now: datetime, not_before: datetime) -> list[ColumnElement[bool]]:
    """A plan whose morning time has come (not longer ago than ``not_before``), with tasks,
    for a co-worker the bot can write to."""
    return [
        DayPlan.deliver_at <= now,
        DayPlan.deliver_at >= not_before,
        DayPlan.tasks.any(),
        Person.active.is_(True),
        Person.unreachable.is_(False),
        Person.telegram_user_id.is_not(None),
    ]


async def due_for_delivery(
    session: AsyncSession, now: datetime, not_before: datetime, limit: int
) -> list[tuple[DayPlan, Person]]:
    """Unsent plans whose morning time has come (and is not older than ``not_before``).

    An approved plan always goes. A draft goes only when the co-worker's group sends
    unapproved drafts (``Group.send_unapproved_drafts``); a co-worker without a group
    is treated as in such a group.
    """
    rows = await session.execute(
        select(DayPlan, Person)
        .join(Person, Person.id == DayPlan.coworker_id)
        .outerjoin(Group, Group.id == Person.group_id)
        .where(
            or_(
                DayPlan.status == PlanStatus.APPROVED,
                and_(
                    DayPlan.status == PlanStatus.DRAFT,
                    or_(Group.id.is_(None), Group.send_unapproved_drafts.is_(True)),
                ),
            ),
            *_due_now(now, not_before),
        )
        .order_by(DayPlan.deliver_at, DayPlan.id)
        .limit(limit)
    )
    return [(plan, person) for plan, person in rows.tuples()]


async def held_for_approval(
    session: AsyncSession, now: datetime, not_before: datetime, after_id: int, limit: int
) -> list[tuple[DayPlan, Person, Person | None]]:
    """Drafts held at their morning time because the co-worker's group waits for approval:
    (plan, co-worker, primary contact). The primary contact is None unless they are an
    active member of staff on Telegram. Plans with ids above ``after_id``, lowest first.
    """
    primary = aliased(Person)
    rows = await session.execute(
        select(DayPlan, Person, primary)
        .join(Person, Person.id == DayPlan.coworker_id)
        .join(Group, Group.id == Person.group_id)
        .outerjoin(ContactPersons, ContactPersons.coworker_id == Person.id)
        .outerjoin(
            primary,
            and_(
                primary.id == ContactPersons.primary_id,
                primary.role.in_([Role.SUPPORT, Role.ADMIN]),
                primary.active.is_(True),
                primary.unreachable.is_(False),
                primary.telegram_user_id.is_not(None),
            ),
        )
        .where(
            DayPlan.status == PlanStatus.DRAFT,
            Group.send_unapproved_drafts.is_(False),
            DayPlan.id > after_id,
            *_due_now(now, not_before),
        )
        .order_by(DayPlan.id)
        .limit(limit)
    )
    return [(plan, coworker, contact) for plan, coworker, contact in rows.tuples()]
