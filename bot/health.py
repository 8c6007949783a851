"""Is the database there and at the newest schema, and does this instance lead?

``vardag doctor`` asks :func:`database_state` once; in webhook mode ``/readyz`` asks
:class:`Health` every time a load balancer or orchestrator probes (bot/webhook_server.py).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.leader import Leadership
from storage.migrate import is_current

# A probe must answer even when the database hangs instead of refusing.
DATABASE_TIMEOUT_SECONDS = 5.0


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

    async def readiness(self) -> Readiness:
        state = await database_state(self._engine)
        role = self.role()
        if not state.reachable:
            reason = f"database unreachable ({state.error})"
            return Readiness(False, {"status": "not ready", "reason": reason, "role": role})
        if not state.current:
            reason = "database migrations are not at head: run vardag migrate"
            return Readiness(False, {"status": "not ready", "reason": reason, "role": role})
        return Readiness(True, {"status": "ready", "role": role})
