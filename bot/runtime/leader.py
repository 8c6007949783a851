"""Which instance runs the clock: the jobs (drafting, morning lists, reminders, the
outbox sender). Any number of instances may take updates; exactly one leads.

* PostgreSQL: the leader holds a session-level advisory lock on a session of its own
  and a numbered **term** in ``leader_terms``. Every send claims its outbox row for that
  term (storage/repos/outbox.py), so a leader whose term has passed cannot send. The
  leader refreshes the term's heartbeat every second; a refresh that fails or takes
  longer than ``CALL_TIMEOUT_SECONDS`` makes it stop sending at once. The server ends a
  lock session that has been silent for ``SESSION_IDLE_TIMEOUT_MS`` (and notices a dead
  peer by TCP keepalive within seconds), which frees the lock for another instance: a
  partitioned or hung leader is replaced within about ten seconds. The others try for
  the lock every ``POLL_SECONDS``; until it leads, an instance's job scheduler is paused.
  Leadership is handed back only after the sender has stopped.
* SQLite: only one instance may run at all. A lock file beside the database says so,
  and a second instance refuses to start with a clear message.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import logging
import os
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool
from telegram.ext import JobQueue

from bot.config import ConfigError, Settings
from bot.outbox.sender import OutboxSender
from storage.repos import leader_terms

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0  # a follower tries for the lock this often
HEARTBEAT_SECONDS = 1.0  # the leader refreshes its term this often
CALL_TIMEOUT_SECONDS = 2.0  # one call on the lock session; slower means the session is lost
CONNECT_TIMEOUT_SECONDS = 3.0
# The server's side: a lock session silent this long is ended (PostgreSQL 14+), which
# frees the lock; longer than a heartbeat plus its time-out, so a live leader is never cut.
SESSION_IDLE_TIMEOUT_MS = 6000
STOP_SENDING_SECONDS = 40.0  # at most: the sender's last call in flight (its own time-out)


def lock_key(schema: str | None) -> int:
    """A 64-bit advisory-lock key of its own for each Vardag schema in a cluster."""
    digest = hashlib.sha256(f"vardag-leader:{schema or 'public'}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def instance_name() -> str:
    """How ``/readyz`` and the logs name this instance."""
    return f"{socket.gethostname()}:{os.getpid()}"


class Leadership:
    """Pauses and resumes the job scheduler, and lets the sender send or stops it, as this
    instance gains or loses the lead."""

    def __init__(self, job_queue: JobQueue[Any], sender: OutboxSender | None = None) -> None:
        self._job_queue = job_queue
        self._sender = sender
        self.leading = False
        self.term: int | None = None
        self.name = instance_name()
        if sender is not None:
            sender.fence()

    def start_paused(self) -> None:
        """Before the application starts: its jobs wait until this instance leads."""
        self._job_queue.scheduler.start(paused=True)

    def lead(self, term: int | None = None) -> None:
        self.term = term
        if self._sender is not None:
            self._sender.lead(term)
        if self.leading:
            return
        self.leading = True
        now = datetime.now(UTC)
        for job in self._job_queue.jobs():
            job.job.modify(next_run_time=now)  # run at once, not one interval later
        self._job_queue.scheduler.resume()
        log.warning("this instance (%s) now runs the clock and the sender, term %s",
                    self.name, term)  # fmt: skip

    def follow(self) -> None:
        """Stop at once: no new job runs, and the sender claims nothing more (the call in
        flight, if any, ends within its time-out; see :meth:`sender_stopped`)."""
        if self._sender is not None:
            self._sender.stand_down()
        if not self.leading:
            return
        self.leading = False
        self.term = None
        self._job_queue.scheduler.pause()
        log.warning("this instance (%s) no longer runs the clock", self.name)

    async def sender_stopped(self) -> None:
        if self._sender is not None:
            await self._sender.stopped(STOP_SENDING_SECONDS)


@contextlib.contextmanager
def sqlite_single_instance(database_url: str) -> Iterator[None]:
    """Hold the lock file beside the SQLite database, or refuse to start. The path is
    resolved first, so a symlink to the same file finds the same lock."""
    path = make_url(database_url).database
    if not path or path == ":memory:":
        yield
        return
    real = Path(path).resolve()
    lock_file = real.with_name(real.name + ".lock")
    handle = lock_file.open("w")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ConfigError(
                f"Another Vardag is already running on {real}. SQLite allows one instance; "
                "use PostgreSQL to run several."
            ) from None
        yield
    finally:
        handle.close()


def lock_engine(engine: AsyncEngine, settings: Settings) -> AsyncEngine:
    """Sessions of their own for the lock (never pooled: the server-side time-outs set
    here must not reach the application's sessions)."""
    server_settings = {
        "statement_timeout": str(int(CALL_TIMEOUT_SECONDS * 1000)),
        "idle_session_timeout": str(SESSION_IDLE_TIMEOUT_MS),
        "tcp_keepalives_idle": "2",
        "tcp_keepalives_interval": "1",
        "tcp_keepalives_count": "3",
        "tcp_user_timeout": "5000",
        "application_name": "vardag-leader",
    }
    if settings.database_schema:
        server_settings["search_path"] = settings.database_schema
    return create_async_engine(
        engine.url,
        poolclass=NullPool,
        connect_args={
            "server_settings": server_settings,
            "timeout": CONNECT_TIMEOUT_SECONDS,
            "command_timeout": CALL_TIMEOUT_SECONDS,
        },
    )


async def _try_lock(engine: AsyncEngine, key: int, name: str) -> tuple[AsyncConnection, int] | None:
    """The lock and a new term, or None when another instance holds it."""
    async with asyncio.timeout(CONNECT_TIMEOUT_SECONDS + CALL_TIMEOUT_SECONDS):
        connection = await engine.connect()
    try:
        async with asyncio.timeout(CALL_TIMEOUT_SECONDS * 2):
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            got = await connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": key})
            if got:
                return connection, await leader_terms.begin(connection, name)
    except BaseException:
        await _let_go(connection)
        raise
    await _let_go(connection)
    return None


async def _alive(connection: AsyncConnection, term: int) -> bool:
    """Refresh the term; False when the session is gone, slow, or another term began."""
    try:
        async with asyncio.timeout(CALL_TIMEOUT_SECONDS):
            return await leader_terms.heartbeat(connection, term)
    except Exception:  # the database went away or hangs: so did the lock
        return False


class _OneLine:
    """Log a repeated failure once, and again only when its kind changes."""

    def __init__(self) -> None:
        self._last: str | None = None

    def failed(self, what: str, error: BaseException) -> None:
        kind = type(error).__name__
        if kind != self._last:
            log.warning("%s failed (%s); trying again every %s s", what, kind, POLL_SECONDS)
        self._last = kind

    def ok(self) -> None:
        if self._last is not None:
            log.warning("leader election works again")
        self._last = None


async def contend(
    leadership: Leadership, engine: AsyncEngine, settings: Settings, stop: asyncio.Event
) -> None:
    """Until ``stop``: take the lead when it is free, and keep checking it is still held.
    On the way out the sender is stopped first, and only then the lock let go."""
    key = lock_key(settings.database_schema)
    sessions = lock_engine(engine, settings)
    held: AsyncConnection | None = None
    term = 0
    failures = _OneLine()
    try:
        while not stop.is_set():
            try:
                if held is None:
                    got = await _try_lock(sessions, key, leadership.name)
                    if got is not None:
                        held, term = got
                        leadership.lead(term)
                    failures.ok()
                elif not await _alive(held, term):
                    log.warning("the lead was lost (term %s): stopping the sender", term)
                    leadership.follow()
                    await _let_go(held)
                    held = None
            except Exception as error:
                failures.failed("leader election", error)
            pause = HEARTBEAT_SECONDS if held is not None else POLL_SECONDS
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), pause)
    finally:
        leadership.follow()
        await leadership.sender_stopped()
        if held is not None:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(CALL_TIMEOUT_SECONDS):
                    await held.scalar(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            await _let_go(held)
        await sessions.dispose()


async def _let_go(held: AsyncConnection) -> None:
    """Close the database session itself (not just hand the connection back to a pool,
    where it would keep the lock): that frees the advisory lock at once."""
    with contextlib.suppress(Exception):
        async with asyncio.timeout(CALL_TIMEOUT_SECONDS):
            await held.invalidate()
    with contextlib.suppress(Exception):
        async with asyncio.timeout(CALL_TIMEOUT_SECONDS):
            await held.close()


def is_postgres(settings: Settings) -> bool:
    return settings.database_url.startswith("postgresql")
