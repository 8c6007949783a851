"""The inbox of Telegram updates: stored before they are acknowledged, taken by one
instance at a time (a lease), each chat's in ``update_id`` order, and marked when done."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import InboxUpdate

_TABLE = InboxUpdate.__table__
# Written out (the same SQL on SQLite 3.24+ and PostgreSQL) so SQLAlchemy can cache it.
_STORE = text(
    f"INSERT INTO {InboxUpdate.__tablename__}"
    " (update_id, lane, payload, received_at, attempts)"
    " VALUES (:update_id, :lane, :payload, :received_at, 0)"
    " ON CONFLICT (update_id) DO NOTHING"
).bindparams(
    bindparam("update_id", type_=_TABLE.c.update_id.type),
    bindparam("lane", type_=_TABLE.c.lane.type),
    bindparam("payload", type_=_TABLE.c.payload.type),
    bindparam("received_at", type_=_TABLE.c.received_at.type),
)
# A lane is claimed under a transaction-scoped lock of its own on PostgreSQL, so two
# instances cannot both find it free; SQLite's write transactions are serialised already.
_LANE_LOCK = text("SELECT pg_advisory_xact_lock(715517, CAST(:key AS integer))")
_OPEN = InboxUpdate.processed_at.is_(None)


@dataclass(frozen=True)
class Claimed:
    update_id: int
    lane: int
    payload: dict[str, Any]
    attempts: int


async def store(
    session: AsyncSession, update_id: int, lane: int, payload: dict[str, Any], now: datetime
) -> bool:
    """Keep an update; False when it was kept before (a repeated delivery)."""
    result = await session.execute(
        _STORE, {"update_id": update_id, "lane": lane, "payload": payload, "received_at": now}
    )
    return bool(getattr(result, "rowcount", 0))


async def claim_next(
    session: AsyncSession, lane: int, token: str, now: datetime, lease: timedelta
) -> Claimed | None:
    """The lane's oldest open update, leased to ``token``; None when the lane is empty
    or one of its updates is held (being processed, or waiting to be tried again)."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(_LANE_LOCK, {"key": lane % 2_147_483_647})
    held = await session.scalar(
        select(InboxUpdate.update_id)
        .where(InboxUpdate.lane == lane, _OPEN, InboxUpdate.lease_until > now)
        .limit(1)
    )
    if held is not None:
        return None
    row = (
        await session.execute(
            select(InboxUpdate.update_id, InboxUpdate.payload, InboxUpdate.attempts)
            .where(InboxUpdate.lane == lane, _OPEN)
            .order_by(InboxUpdate.update_id)
            .limit(1)
        )
    ).first()
    if row is None:
        return None
    await session.execute(
        update(InboxUpdate)
        .where(InboxUpdate.update_id == row.update_id)
        .values(lease_token=token, lease_until=now + lease, attempts=InboxUpdate.attempts + 1)
    )
    return Claimed(row.update_id, lane, row.payload, row.attempts + 1)


async def is_held_by(session: AsyncSession, update_id: int, token: str) -> bool:
    """Whether ``token`` still holds the open update (its lease was not taken over)."""
    found = await session.scalar(
        select(InboxUpdate.update_id).where(
            InboxUpdate.update_id == update_id, _OPEN, InboxUpdate.lease_token == token
        )
    )
    return found is not None


async def renew(session: AsyncSession, update_id: int, token: str, until: datetime) -> bool:
    result = await session.execute(
        update(InboxUpdate)
        .where(InboxUpdate.update_id == update_id, _OPEN, InboxUpdate.lease_token == token)
        .values(lease_until=until)
    )
    return bool(getattr(result, "rowcount", 0))


async def finish(
    session: AsyncSession, update_id: int, token: str, now: datetime, outcome: str
) -> bool:
    """Mark the update done; False if ``token`` no longer held it."""
    result = await session.execute(
        update(InboxUpdate)
        .where(InboxUpdate.update_id == update_id, _OPEN, InboxUpdate.lease_token == token)
        .values(processed_at=now, outcome=outcome, lease_token=None, lease_until=None)
    )
    return bool(getattr(result, "rowcount", 0))


async def retry_at(session: AsyncSession, update_id: int, token: str, at: datetime) -> None:
    """Give the update back, to be tried again from ``at`` (its chat's later ones wait)."""
    await session.execute(
        update(InboxUpdate)
        .where(InboxUpdate.update_id == update_id, _OPEN, InboxUpdate.lease_token == token)
        .values(lease_token=None, lease_until=at)
    )


async def open_lanes(session: AsyncSession, now: datetime, limit: int = 500) -> list[int]:
    """Lanes with an open update that nobody holds: left by an instance that stopped, or
    due to be tried again."""
    latest = func.max(InboxUpdate.lease_until)
    rows = await session.scalars(
        select(InboxUpdate.lane)
        .where(_OPEN)
        .group_by(InboxUpdate.lane)
        .having(or_(latest.is_(None), latest <= now))
        .limit(limit)
    )
    return list(rows)


async def count_open(session: AsyncSession) -> int:
    return int(
        await session.scalar(select(func.count()).select_from(InboxUpdate).where(_OPEN)) or 0
    )


async def purge_before(session: AsyncSession, moment: datetime) -> int:
    """Drop updates processed before ``moment`` (Telegram gives up on an update after
    about a day, so an older one cannot come again)."""
    result = await session.execute(delete(InboxUpdate).where(InboxUpdate.processed_at < moment))
    return int(getattr(result, "rowcount", 0))
