"""The async engine and session factory, set up the same way for SQLite and PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import PoolResetState

from storage.sqlite_driver import OneTripConnection, OneTripDBAPI, in_transaction

SQLITE_BUSY_TIMEOUT_MS = 10_000
# PostgreSQL: the client gives up on a statement this long after the server would have
# stopped it (statement_timeout); only a server that does not answer at all is left.
CLIENT_TIMEOUT_MARGIN_SECONDS = 5.0
PRIVATE = 0o600
# PostgreSQL cannot store a NUL in text; SQLite could, so both get the same: the
# replacement character, where the NUL was (a person's text is kept, not refused).
NUL, REPLACEMENT = "\x00", "\ufffd"


def create_engine(
    url: str, *, search_path: str | None = None, statement_timeout: float = 0.0
) -> AsyncEngine:
    """An engine for ``url``; ``search_path`` isolates a PostgreSQL schema (used by the
    tests). ``statement_timeout`` (seconds, PostgreSQL; 0: none): the server stops a
    statement that runs longer, and the client waits a margin more, then gives up."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        _private_file(parsed.database)
        engine = create_async_engine(
            url,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            hide_parameters=True,  # a person's text or id never in a log or traceback
            # A statement is one trip to SQLite's thread (storage/sqlite_driver.py), and
            # a connection is rolled back on its way back to the pool only when it is
            # still in a transaction (below), not after every commit: each trip costs.
            module=OneTripDBAPI(SQLITE_BUSY_TIMEOUT_MS / 1000),
            pool_reset_on_return=None,
            # The connection given back last is taken first: its page cache is still
            # good when it was the last to write (SQLite drops a connection's cache when
            # another connection wrote since). First in, first out, every transaction
            # read its pages again from the file: some 23 reads a press.
            pool_use_lifo=True,
        )
        _configure_sqlite(engine)
        _no_nul(engine)
        return engine
    server_settings: dict[str, str] = {}
    connect_args: dict[str, Any] = {"server_settings": server_settings}
    if search_path:
        server_settings["search_path"] = search_path
    if statement_timeout > 0:
        server_settings["statement_timeout"] = str(int(statement_timeout * 1000))
        connect_args["command_timeout"] = statement_timeout + CLIENT_TIMEOUT_MARGIN_SECONDS
    engine = create_async_engine(
        url, connect_args=connect_args, pool_pre_ping=True, hide_parameters=True
    )
    _no_nul(engine)
    return engine


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace(NUL, REPLACEMENT) if NUL in value else value
    if isinstance(value, tuple | list):
        return type(value)(_clean(v) for v in value)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


def _no_nul(engine: AsyncEngine) -> None:
    """Every text value written or compared has its NUL characters replaced."""

    @event.listens_for(engine.sync_engine, "before_cursor_execute", retval=True)
    def _replace_nul(
        _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool
    ) -> tuple[str, Any]:
        return statement, _clean(parameters)


def _private_file(path: str | None) -> None:
    """Create the SQLite file readable by its owner only (it holds health-related data);
    WAL and shared-memory files SQLite creates beside it take the same mode."""
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    file = Path(path)
    if not file.exists():
        file.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(file, os.O_CREAT | os.O_WRONLY, PRIVATE))
    file.chmod(PRIVATE)


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (see "begin" below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "reset")
    def _on_reset(dbapi_connection: Any, _record: Any, state: PoolResetState) -> None:
        # What the pool's rollback-on-return was for: a connection given back while
        # still in a transaction (say, cancelled mid-way) holds SQLite's write lock.
        dbapi_connection.take_begin()  # begun, and nothing ran: nothing to undo
        if state.asyncio_safe and in_transaction(dbapi_connection):
            dbapi_connection.rollback()
        dbapi_connection.leave_gate()  # (done by the rollback too; here for any other way)

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        # IMMEDIATE takes the write lock up front, so two writers wait for each other
        # (busy timeout) instead of failing at once when a read turns into a write.
        # Sent with the first statement, in its trip (storage/sqlite_driver.py).
        raw: OneTripConnection = connection.connection.dbapi_connection
        raw.begin_with_next("BEGIN IMMEDIATE")


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
