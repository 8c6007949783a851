"""Queries about promises (``storage/models/promises.py``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Promise
from storage.repos import first


async def add(
    session: AsyncSession,
    *,
    kind: str,
    subject: str,
    person_id: int,
    owner_id: int | None,
    due_at: datetime,
    data: dict[str, Any],
    now: datetime,
) -> Promise:
    """Insert the promise unless one with ``subject`` exists; the row either way."""
    values = {
        "kind": kind,
        "subject": subject,
        "person_id": person_id,
        "owner_id": owner_id,
        "due_at": due_at,
        "data": data,
        "made_at": now,
        "attempts": 0,
    }
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    await session.execute(
        insert(Promise).values(**values).on_conflict_do_nothing(index_elements=["subject"])
    )
    found = await by_subject(session, subject)
    assert found is not None
    return found


async def by_subject(session: AsyncSession, subject: str) -> Promise | None:
    return await first(session, select(Promise).where(Promise.subject == subject))


async def due_ids(session: AsyncSession, now: datetime, limit: int) -> list[int]:
    """Open promises whose time has come, earliest first."""
    return list(
        await session.scalars(
            select(Promise.id)
            .where(Promise.closed_at.is_(None), Promise.due_at <= now)
            .order_by(Promise.due_at, Promise.id)
            .limit(limit)
        )
    )


async def open_one(session: AsyncSession, promise_id: int) -> Promise | None:
    """The promise if it is still open, locked for this transaction on PostgreSQL."""
    return await first(
        session,
        select(Promise)
        .where(Promise.id == promise_id, Promise.closed_at.is_(None))
        .with_for_update(skip_locked=True),
    )


async def of_person(session: AsyncSession, person_id: int) -> list[Promise]:
    return list(
        await session.scalars(
            select(Promise).where(Promise.person_id == person_id).order_by(Promise.id)
        )
    )


async def open_of_kind(session: AsyncSession, kind: str) -> list[Promise]:
    return list(
        await session.scalars(
            select(Promise)
            .where(Promise.kind == kind, Promise.closed_at.is_(None))
            .order_by(Promise.id)
        )
    )


async def existing(session: AsyncSession, subjects: list[str]) -> set[str]:
    """Which of these subjects have a promise already (open or closed)."""
    if not subjects:
        return set()
    return set(await session.scalars(select(Promise.subject).where(Promise.subject.in_(subjects))))
