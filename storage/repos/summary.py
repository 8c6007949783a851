"""Queries for the end of the co-worker's day: whose summary is due."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, String, cast, exists, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import DayPlan, OutboxMessage, Person, PlanStatus, Role


def reachable_coworker() -> list[ColumnElement[bool]]:
    """An active co-worker the bot can write to."""
    return [
        Person.role == Role.COWORKER,
        Person.active.is_(True),
        Person.unreachable.is_(False),
        Person.telegram_user_id.is_not(None),
    ]


def not_queued(prefix: str, suffix: str) -> ColumnElement[bool]:
    """No outbox row has the key ``prefix + person id + suffix`` yet: what was queued on
    an earlier tick is not fetched (and rendered) again."""
    key = literal(prefix) + cast(Person.id, String) + literal(suffix)
    return ~exists(select(OutboxMessage.id).where(OutboxMessage.idempotency_key == key))


async def summaries_due(
    session: AsyncSession, day: date, key_prefix: str, key_suffix: str, after_id: int, limit: int
) -> list[tuple[DayPlan, Person]]:
    """Plans sent on ``day`` whose co-worker has not had the summary queued yet; ids above
    ``after_id``, lowest first."""
    rows = await session.execute(
        select(DayPlan, Person)
        .join(Person, Person.id == DayPlan.coworker_id)
        .where(
            DayPlan.day == day,
            DayPlan.status == PlanStatus.SENT,
            *reachable_coworker(),
            not_queued(key_prefix, key_suffix),
            DayPlan.id > after_id,
        )
        .order_by(DayPlan.id)
        .limit(limit)
    )
    return [(plan, person) for plan, person in rows.tuples()]
