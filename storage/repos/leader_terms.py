"""The leader's term (PostgreSQL only; bot/runtime/leader.py): begin a term, refresh it, read it.

These run on the leader's own lock session, outside any transaction, with the
database's clock (``now()``), so instances with skewed clocks agree on the heartbeat.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.models import LeaderTerm
from storage.repos.outbox import TERM_ROW


@dataclass(frozen=True)
class Term:
    term: int
    holder: str
    heartbeat_age_seconds: float


async def begin(connection: AsyncConnection, holder: str) -> int:
    """A new term for ``holder`` (the caller holds the advisory lock): the number before
    it plus one. Any claim made for an older term no longer holds."""
    statement = (
        insert(LeaderTerm)
        .values(id=TERM_ROW, term=1, holder=holder, heartbeat_at=func.now())
        .on_conflict_do_update(
            index_elements=[LeaderTerm.id],
            set_={"term": LeaderTerm.term + 1, "holder": holder, "heartbeat_at": func.now()},
        )
        .returning(LeaderTerm.term)
    )
    return int((await connection.execute(statement)).scalar_one())


async def heartbeat(connection: AsyncConnection, term: int) -> bool:
    """Refresh the lease of ``term``; False when another term has begun."""
    result = await connection.execute(
        update(LeaderTerm)
        .where(LeaderTerm.id == TERM_ROW, LeaderTerm.term == term)
        .values(heartbeat_at=func.now())
    )
    return int(getattr(result, "rowcount", 0)) == 1


async def current(connection: AsyncConnection) -> Term | None:
    """The newest term, its holder and how long ago it last beat (None before the first)."""
    row = (
        await connection.execute(
            select(
                LeaderTerm.term,
                LeaderTerm.holder,
                func.extract("epoch", func.now() - LeaderTerm.heartbeat_at),
            ).where(LeaderTerm.id == TERM_ROW)
        )
    ).first()
    if row is None:
        return None
    return Term(int(row[0]), str(row[1]), float(row[2]))
