"""Queries about check-ins: how a co-worker said they are, morning and evening."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import CheckIn, CheckInKind
from storage.repos import first


async def check_in_of(
    session: AsyncSession, person_id: int, day: date, kind: CheckInKind
) -> CheckIn | None:
    return await first(
        session,
        select(CheckIn).where(
            CheckIn.person_id == person_id, CheckIn.day == day, CheckIn.kind == kind
        ),
    )


async def add_once(
    session: AsyncSession,
    *,
    person_id: int,
    day: date,
    kind: CheckInKind,
    value: str,
    now: datetime,
) -> bool:
    """Record the answer unless one of this kind exists for the day. True if it was added.

    Two presses at the same moment both reach here; the unique key lets one of them in.
    """
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(CheckIn)
        .values(person_id=person_id, day=day, kind=kind, value=value, created_at=now)
        .on_conflict_do_nothing(index_elements=["person_id", "day", "kind"])
    )
    result = await session.execute(statement)
    return bool(getattr(result, "rowcount", 0))
