"""Who was in contact with each co-worker, for the continuity figure, and when: the staff
who wrote to them, took their call for help, added a task for them or approved their
list, each at the moment they did it (the definition: docs/messages.md, "Continuity")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import DayPlan, Direction, HelpRequest, Message, PlannedTask


@dataclass(frozen=True)
class Contact:
    coworker_id: int
    staff_id: int
    at: datetime
    how: str  # "message", "help", "task" or "approval"


async def contacts(
    session: AsyncSession, coworker_ids: Sequence[int], since: datetime, until: datetime
) -> list[Contact]:
    """Every contact with these co-workers from ``since`` up to and including ``until``,
    in time order. A ``/broadcast`` copy is not a contact; a list's own day does not
    matter, only when the task was added or the list approved."""
    if not coworker_ids:
        return []
    statements: list[tuple[str, Select[Any]]] = [
        (
            "message",
            select(Message.coworker_id, Message.staff_id, Message.created_at).where(
                Message.direction == Direction.TO_COWORKER,
                Message.broadcast.is_(False),
                Message.coworker_id.in_(coworker_ids),
                Message.created_at.between(since, until),
            ),
        ),
        (
            "help",
            select(
                HelpRequest.coworker_id, HelpRequest.acknowledged_by_id, HelpRequest.acknowledged_at
            ).where(
                HelpRequest.coworker_id.in_(coworker_ids),
                HelpRequest.acknowledged_at.between(since, until),
            ),
        ),
        (
            "task",
            select(DayPlan.coworker_id, PlannedTask.added_by_id, PlannedTask.added_at)
            .join(PlannedTask, PlannedTask.day_plan_id == DayPlan.id)
            .where(
                DayPlan.coworker_id.in_(coworker_ids),
                PlannedTask.added_at.between(since, until),
            ),
        ),
        (
            "approval",
            select(DayPlan.coworker_id, DayPlan.approved_by_id, DayPlan.approved_at).where(
                DayPlan.coworker_id.in_(coworker_ids),
                DayPlan.approved_at.between(since, until),
            ),
        ),
    ]
    found = []
    for how, statement in statements:
        for coworker, staff, at in (await session.execute(statement)).tuples():
            if staff is not None and at is not None:  # staff since erased: nobody to count
                found.append(Contact(coworker, staff, at, how))
    return sorted(found, key=lambda c: (c.at, c.coworker_id, c.staff_id))


async def staff_contacts(
    session: AsyncSession, coworker_ids: Sequence[int], since: datetime, until: datetime
) -> set[tuple[int, int]]:
    """The (co-worker id, staff id) pairs in contact from ``since`` to ``until``."""
    return {
        (c.coworker_id, c.staff_id) for c in await contacts(session, coworker_ids, since, until)
    }
