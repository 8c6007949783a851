"""Is the database there and at the newest schema, and does this instance lead?

``vardag doctor`` asks :func:`database_state` once; in webhook mode ``/readyz`` asks
:class:`Health` every time a load balancer or orchestrator probes (bot/runtime/webhook.py).
On PostgreSQL who leads is read from the database (``leader_terms``), not only from this
process's belief: an instance says "leader" only while its term is the newest and its
heartbeat fresh, so two instances never both say so (one that cannot read its term, the
database away, says "follower"), and ``"leader": "none"`` shows that nobody is sending.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.runtime.leader import Leadership
from storage.migrate import is_current
from storage.repos import leader_terms

# A probe must answer even when the database hangs instead of refusing.
DATABASE_TIMEOUT_SECONDS = 5.0
# A leader's heartbeat older than this: it is not sending (it beats every second).
STALE_HEARTBEAT_SECONDS = 4.0


@dataclass(frozen=True)
class DatabaseState:
    reachable: bool
    current: bool  # at the newest migration (Alembic's head)
    error: str | None = None  # the kind of error, when it could not be reached


async def database_state(engine: AsyncEngine) -> DatabaseState:
    """Whether the database answers, and whether its migrations are at head."""
    try:
        async with asyncio.timeout(DATABASE_TIMEOUT_SECONDS):
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
            current = await is_current(engine)
    except Exception as error:  # any failure to reach it is the finding
        return DatabaseState(reachable=False, current=False, error=type(error).__name__)
    return DatabaseState(reachable=True, current=current)


@dataclass(frozen=True)
class Readiness:
    ready: bool
    body: dict[str, str]


class Health:
    """What ``/readyz`` answers for this instance.

    ``leadership`` is ``None`` where this is the only instance (SQLite): it always runs
    the clock. On PostgreSQL a follower is ready too: it takes updates; only the leader
    runs the jobs and the sender.
    """

    def __init__(self, engine: AsyncEngine, leadership: Leadership | None) -> None:
        self._engine = engine
        self._leadership = leadership

    def role(self) -> str:
        leading = self._leadership is None or self._leadership.leading
        return "leader" if leading else "follower"

    async def _leader(self) -> tuple[str, str]:
        """(this instance's role, the leading instance or "none"), from the database."""
        assert self._leadership is not None
        try:
            async with asyncio.timeout(DATABASE_TIMEOUT_SECONDS):
                async with self._engine.connect() as connection:
                    term = await leader_terms.current(connection)
        except Exception:  # unknown is reported as such; a lead it cannot confirm is none
            return "follower", "unknown"
        if term is None or term.heartbeat_age_seconds > STALE_HEARTBEAT_SECONDS:
            return "follower", "none"
        mine = self._leadership.leading and self._leadership.term == term.term
        return ("leader" if mine else "follower"), term.holder

    async def readiness(self) -> Readiness:
        state = await database_state(self._engine)
        role = self.role()
        leader: str | None = None
        shared = self._engine.dialect.name == "postgresql" and self._leadership is not None
        if state.reachable and state.current and shared:
            role, leader = await self._leader()
        elif shared:  # its term cannot be read: it cannot claim a send either
            role = "follower"
        if not state.reachable:
            reason = f"database unreachable ({state.error})"
            return Readiness(False, {"status": "not ready", "reason": reason, "role": role})
        if not state.current:
            reason = "database migrations are not at head: run vardag migrate"
            return Readiness(False, {"status": "not ready", "reason": reason, "role": role})
        body = {"status": "ready", "role": role}
        if leader is not None:
            body["leader"] = leader
        return Readiness(True, body)
