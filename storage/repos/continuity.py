"""Who met each co-worker, for the continuity figure: the staff who answered them,
planned for them or helped them, with when."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import DayPlan, Direction, Message, PlannedTask


async def staff_contacts(
    session: AsyncSession, coworker_ids: Sequence[int], since: datetime, since_day: date
) -> set[tuple[int, int]]:
    """(co-worker id, staff id) pairs since ``since``: answers and messages staff wrote,
    lists they approved, tasks they added."""
    pairs: set[tuple[int, int]] = set()
    statements = [
        select(Message.coworker_id, Message.staff_id).where(
            Message.direction == Direction.TO_COWORKER,
            Message.staff_id.is_not(None),
            Message.created_at >= since,
        ),
        select(DayPlan.coworker_id, DayPlan.approved_by_id).where(
            DayPlan.approved_by_id.is_not(None), DayPlan.day >= since_day
        ),
        select(DayPlan.coworker_id, PlannedTask.added_by_id)
        .join(PlannedTask, PlannedTask.day_plan_id == DayPlan.id)
        .where(PlannedTask.added_by_id.is_not(None), DayPlan.day >= since_day),
    ]
    for statement in statements:
        coworker_column = statement.selected_columns[0]
        rows = await session.execute(statement.where(coworker_column.in_(coworker_ids)))
        pairs.update((coworker, staff) for coworker, staff in rows.tuples() if staff is not None)
    return pairs
