"""Which instance runs the clock: the jobs (drafting, morning lists, reminders, the
outbox sender). Any number of instances may take updates; exactly one leads.

* PostgreSQL: the leader holds a session-level advisory lock on its own connection.
  The others try for it every few seconds; when the leader dies its connection closes,
  the lock is free, and another instance takes over (within ``POLL_SECONDS`` plus one
  tick). Until it leads, an instance's job scheduler is paused.
* SQLite: only one instance may run at all. A lock file beside the database says so,
  and a second instance refuses to start with a clear message.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from telegram.ext import JobQueue

from bot.config import ConfigError, Settings

log = logging.getLogger(__name__)

POLL_SECONDS = 5.0


def lock_key(schema: str | None) -> int:
    """A 64-bit advisory-lock key of its own for each Vardag schema in a cluster."""
    digest = hashlib.sha256(f"vardag-leader:{schema or 'public'}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class Leadership:
    """Pauses and resumes the job scheduler as this instance loses or gains the lead."""

    def __init__(self, job_queue: JobQueue[Any]) -> None:
        self._job_queue = job_queue
        self.leading = False

    def start_paused(self) -> None:
        """Before the application starts: its jobs wait until this instance leads."""
        self._job_queue.scheduler.start(paused=True)

    def lead(self) -> None:
        if self.leading:
            return
        self.leading = True
        now = datetime.now(UTC)
        for job in self._job_queue.jobs():
            job.job.modify(next_run_time=now)  # run at once, not one interval later
        self._job_queue.scheduler.resume()
        log.info("this instance now runs the clock and the sender")

    def follow(self) -> None:
        if not self.leading:
            return
        self.leading = False
        self._job_queue.scheduler.pause()
        log.warning("this instance no longer runs the clock")


@contextlib.contextmanager
def sqlite_single_instance(database_url: str) -> Iterator[None]:
    """Hold the lock file beside the SQLite database, or refuse to start."""
    path = make_url(database_url).database
    if not path or path == ":memory:":
        yield
        return
    lock_file = Path(path).resolve().with_name(Path(path).name + ".lock")
    handle = lock_file.open("w")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ConfigError(
                f"Another Vardag is already running on {path}. SQLite allows one instance; "
                "use PostgreSQL to run several."
            ) from None
        yield
    finally:
        handle.close()


async def _try_lock(engine: AsyncEngine, key: int) -> AsyncConnection | None:
    connection = await engine.connect()
    try:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        got = await connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": key})
    except Exception:
        await connection.close()
        raise
    if got:
        return connection
    await connection.close()
    return None


async def _alive(connection: AsyncConnection) -> bool:
    try:
        await connection.scalar(text("SELECT 1"))
    except Exception:  # the database went away: so did the lock
        return False
    return True


async def contend(
    leadership: Leadership, engine: AsyncEngine, settings: Settings, stop: asyncio.Event
) -> None:
    """Until ``stop``: take the lead when it is free, and keep checking it is still held."""
    key = lock_key(settings.database_schema)
    held: AsyncConnection | None = None
    try:
        while not stop.is_set():
            try:
                if held is None:
                    held = await _try_lock(engine, key)
                    if held is not None:
                        leadership.lead()
                elif not await _alive(held):
                    leadership.follow()
                    await _let_go(held)
                    held = None
            except Exception:
                log.exception("leader election failed; trying again")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), POLL_SECONDS)
    finally:
        leadership.follow()
        if held is not None:
            await _let_go(held)


async def _let_go(held: AsyncConnection) -> None:
    """Close the database session itself (not just hand the connection back to the pool,
    where it would keep the lock): that frees the advisory lock at once."""
    with contextlib.suppress(Exception):
        await held.invalidate()
    with contextlib.suppress(Exception):
        await held.close()


def is_postgres(settings: Settings) -> bool:
    return settings.database_url.startswith("postgresql")
