"""The inbox of Telegram updates: stored before they are acknowledged, taken by one
instance at a time (a lease), each chat's in ``update_id`` order, and marked when done."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    Boolean,
    Table,
    bindparam,
    delete,
    exists,
    func,
    literal_column,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import InboxUpdate

_TABLE = cast(Table, InboxUpdate.__table__)
# Written out (the same SQL on SQLite 3.24+ and PostgreSQL) so SQLAlchemy can cache it.
_STORED = (  # the values of a stored update
    bindparam("update_id", type_=_TABLE.c.update_id.type),
    bindparam("lane", type_=_TABLE.c.lane.type),
    bindparam("payload", type_=_TABLE.c.payload.type),
    bindparam("received_at", type_=_TABLE.c.received_at.type),
)
_STORE = text(
    f"INSERT INTO {InboxUpdate.__tablename__}"
    " (update_id, lane, payload, received_at, attempts)"
    " VALUES (:update_id, :lane, :payload, :received_at, 0)"
    " ON CONFLICT (update_id) DO NOTHING"
).bindparams(*_STORED)
# The same, leasing the update to ``token`` as it is stored when its lane has no other
# open update (nearly always): storing and taking in one statement. It returns a row only
# when it stored one, with attempts 1 when it took it as well. (On PostgreSQL, under the
# lane's lock, taken first: two instances storing a chat's updates at once see each
# other's. SQLite's write transactions are serialised already.)
_LANE_BUSY = (
    f"EXISTS (SELECT 1 FROM {InboxUpdate.__tablename__}"
    " WHERE lane = :lane AND processed_at IS NULL)"
)
_STORE_TAKING = text(
    f"INSERT INTO {InboxUpdate.__tablename__}"
    " (update_id, lane, payload, received_at, attempts, lease_token, lease_until)"
    " VALUES (:update_id, :lane, :payload, :received_at,"
    f" CASE WHEN {_LANE_BUSY} THEN 0 ELSE 1 END,"
    f" CASE WHEN {_LANE_BUSY} THEN NULL ELSE :token END,"
    f" CASE WHEN {_LANE_BUSY} THEN NULL ELSE :until END)"
    " ON CONFLICT (update_id) DO NOTHING"
    " RETURNING attempts"
).bindparams(
    *_STORED,
    bindparam("token", type_=_TABLE.c.lease_token.type),
    bindparam("until", type_=_TABLE.c.lease_until.type),
)
# A lane is claimed under a transaction-scoped lock of its own on PostgreSQL, so two
# instances cannot both find it free; SQLite's write transactions are serialised already.
_LANE_LOCK = text("SELECT pg_advisory_xact_lock(715517, CAST(:key AS integer))")
_OPEN = _TABLE.c.processed_at.is_(None)
# The statements every update runs, built once (SQLAlchemy then works out their cache
# keys once); the values come as parameters. Core statements on the table, not the ORM
# entity: no object of the inbox is ever loaded, so an ORM UPDATE's synchronising of the
# session (and its annotated cache key) would be work for nothing on every update.
_LANE = bindparam("the_lane", type_=_TABLE.c.lane.type)
_NOW = bindparam("now", type_=_TABLE.c.received_at.type)
_ID = bindparam("the_id", type_=_TABLE.c.update_id.type)
_TOKEN = bindparam("token", type_=_TABLE.c.lease_token.type)
_UNTIL = bindparam("until", type_=_TABLE.c.lease_until.type)
_MINE = (_TABLE.c.update_id == _ID, _OPEN, _TABLE.c.lease_token == _TOKEN)
_IS_HELD_BY = select(_TABLE.c.update_id).where(*_MINE)
# The lane's oldest open update leased in one statement, unless one of its open updates
# is held (being processed, or waiting to be tried again); it says what it took.
_OTHER = _TABLE.alias("other")
_OTHER_OPEN = (_OTHER.c.lane == _LANE, _OTHER.c.processed_at.is_(None))
_TAKE = (
    update(_TABLE)
    .where(
        _TABLE.c.update_id
        == select(func.min(_OTHER.c.update_id)).where(*_OTHER_OPEN).scalar_subquery(),
        ~exists().where(*_OTHER_OPEN, _OTHER.c.lease_until > _NOW),
    )
    .values(lease_token=_TOKEN, lease_until=_UNTIL, attempts=_TABLE.c.attempts + 1)
    .returning(_TABLE.c.update_id, _TABLE.c.payload, _TABLE.c.attempts)
)
_RENEW = update(_TABLE).where(*_MINE).values(lease_until=_UNTIL)
_FINISH = (
    update(_TABLE)
    .where(*_MINE)
    .values(
        processed_at=_NOW,
        outcome=bindparam("the_outcome", type_=_TABLE.c.outcome.type),
        # Done: only the id is kept (for a repeated delivery), not what the person wrote.
        payload={},
        lease_token=None,
        lease_until=None,
    )
    # ... saying whether the lane has another open update, so the finishing transaction
    # looks for the next one only when there is one (nearly always there is none).
    # (Written out: SQLAlchemy renders a RETURNING clause's columns unqualified, which
    # would make the alias's columns the table's own.)
    .returning(
        literal_column(
            f"EXISTS (SELECT 1 FROM {_TABLE.name} AS other WHERE other.lane = {_TABLE.name}.lane"
            f" AND other.processed_at IS NULL AND other.update_id <> {_TABLE.name}.update_id)",
            Boolean(),
        ).label("more")
    )
)
_GIVE_BACK = update(_TABLE).where(*_MINE).values(lease_token=None, lease_until=_UNTIL)
# Given back untried (taken as a stop began): the take does not count as an attempt.
_RELEASE = (
    update(_TABLE)
    .where(*_MINE)
    .values(lease_token=None, lease_until=None, attempts=_TABLE.c.attempts - 1)
)


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


async def _lock_lane(session: AsyncSession, lane: int) -> None:
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(_LANE_LOCK, {"key": lane % 2_147_483_647})


@dataclass(frozen=True)
class Kept:
    new: bool  # False: kept before (a repeated delivery); nothing was written
    taken: bool  # leased to the token as it was stored


async def store_and_take(
    session: AsyncSession,
    update_id: int,
    lane: int,
    payload: dict[str, Any],
    now: datetime,
    token: str,
    lease: timedelta,
) -> Kept:
    """Keep an update and, when its lane has no other open update, lease it to ``token``
    in the same statement (its first attempt). Not taken (an older update of the lane is
    open): :func:`claim_next` takes the lane's oldest."""
    await _lock_lane(session, lane)
    values = {
        "update_id": update_id,
        "lane": lane,
        "payload": payload,
        "received_at": now,
        "token": token,
        "until": now + lease,
    }
    row = (await session.execute(_STORE_TAKING, values)).first()
    return Kept(row is not None, row is not None and row.attempts == 1)


async def claim_next(
    session: AsyncSession, lane: int, token: str, now: datetime, lease: timedelta
) -> Claimed | None:
    """The lane's oldest open update, leased to ``token``; None when the lane is empty
    or one of its updates is held (being processed, or waiting to be tried again)."""
    await _lock_lane(session, lane)
    values = {"the_lane": lane, "now": now, "token": token, "until": now + lease}
    row = (await session.execute(_TAKE, values)).first()
    if row is None:
        return None
    return Claimed(row.update_id, lane, row.payload, row.attempts)


async def is_held_by(session: AsyncSession, update_id: int, token: str) -> bool:
    """Whether ``token`` still holds the open update (its lease was not taken over)."""
    found = await session.scalar(_IS_HELD_BY, {"the_id": update_id, "token": token})
    return found is not None


async def renew(session: AsyncSession, update_id: int, token: str, until: datetime) -> bool:
    result = await session.execute(_RENEW, {"the_id": update_id, "token": token, "until": until})
    return bool(getattr(result, "rowcount", 0))


@dataclass(frozen=True)
class Finished:
    mine: bool  # False: ``token`` no longer held it (nothing was marked)
    more: bool  # the lane has another open update (as far as this transaction sees)


async def finish(
    session: AsyncSession, update_id: int, token: str, now: datetime, outcome: str
) -> Finished:
    """Mark the update done, and say whether its lane has another open update."""
    values = {"the_id": update_id, "token": token, "now": now, "the_outcome": outcome}
    row = (await session.execute(_FINISH, values)).first()
    return Finished(row is not None, row is not None and bool(row.more))


async def retry_at(session: AsyncSession, update_id: int, token: str, at: datetime) -> None:
    """Give the update back, to be tried again from ``at`` (its chat's later ones wait)."""
    await session.execute(_GIVE_BACK, {"the_id": update_id, "token": token, "until": at})


async def release(session: AsyncSession, update_id: int, token: str) -> None:
    """Give the update back untried, to be taken at once (not counted as an attempt)."""
    await session.execute(_RELEASE, {"the_id": update_id, "token": token})


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
