"""SQLite through storage/sqlite_driver.py: a statement is one trip to aiosqlite's thread,
and SQLAlchemy sees what its own adapter gave (rows, rowcount, lastrowid, errors); a
connection given back to the pool while still in a transaction is rolled back (and
SQLite's write lock let go), one that committed is not rolled back again."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import db
from storage.db import create_engine, session_factory
from storage.sqlite_driver import in_transaction


@pytest.fixture
async def sqlite(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'driver.sqlite'}")
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)"))
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
def trips(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each trip to aiosqlite's thread, by the name of what ran there."""
    made: list[str] = []
    run = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        made.append(getattr(fn, "__name__", "?"))
        return await run(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    return made


async def test_rows_counts_and_ids_are_what_sqlalchemy_expects(sqlite: AsyncEngine) -> None:
    async with sqlite.begin() as conn:
        inserted = await conn.execute(text("INSERT INTO t (v) VALUES ('a')"))
        assert inserted.rowcount == 1 and inserted.lastrowid == 1
        many = await conn.execute(text("INSERT INTO t (v) VALUES (:v)"), [{"v": "b"}, {"v": "c"}])
        assert many.rowcount == 2
        changed = await conn.execute(text("UPDATE t SET v = v || '!' WHERE id > 1"))
        assert changed.rowcount == 2
        returned = await conn.execute(text("UPDATE t SET v = 'z' WHERE id = 1 RETURNING id, v"))
        assert [tuple(r) for r in returned] == [(1, "z")]
        rows = await conn.execute(text("SELECT id, v FROM t ORDER BY id"))
        assert list(rows.keys()) == ["id", "v"]
        assert [tuple(r) for r in rows] == [(1, "z"), (2, "b!"), (3, "c!")]
        nothing = await conn.execute(text("SELECT v FROM t WHERE id = 99"))
        assert nothing.first() is None


async def test_an_error_is_sqlalchemys_and_the_transaction_is_undone(sqlite: AsyncEngine) -> None:
    async with sqlite.begin() as conn:
        await conn.execute(text("INSERT INTO t (v) VALUES ('a')"))
    with pytest.raises(IntegrityError):
        async with sqlite.begin() as conn:
            await conn.execute(text("INSERT INTO t (v) VALUES ('b')"))
            await conn.execute(text("INSERT INTO t (v) VALUES ('a')"))  # not unique
    async with sqlite.connect() as conn:
        kept = (await conn.execute(text("SELECT v FROM t"))).scalars().all()
    assert kept == ["a"]


async def test_a_statement_is_one_trip_and_a_committed_connection_is_not_rolled_back(
    sqlite: AsyncEngine, trips: list[str]
) -> None:
    sessions = session_factory(sqlite)
    async with sessions.begin() as session:  # the pool's connection, made once
        await session.execute(text("SELECT 1"))
    trips.clear()
    async with sessions.begin() as session:
        await session.execute(text("INSERT INTO t (v) VALUES ('a')"))
        await session.execute(text("SELECT v FROM t"))
    # BEGIN IMMEDIATE with the first statement, the second, COMMIT: and no rollback on
    # the way back to the pool.
    assert trips == ["_execute", "_execute", "commit"]
    trips.clear()
    async with sessions.begin() as session:  # begun, and nothing asked: no trip at all
        pass
    assert trips == []


async def test_the_write_lock_is_taken_with_the_first_statement(sqlite: AsyncEngine) -> None:
    """BEGIN IMMEDIATE still comes first: a read in one transaction holds the lock, so
    another writer cannot slip in between its read and its write."""
    async with sqlite.begin() as first:
        await first.execute(text("SELECT count(*) FROM t"))
        async with sqlite.connect() as other:
            other_raw = await other.get_raw_connection()
            driver = other_raw.driver_connection
            assert driver is not None
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                await driver.execute("PRAGMA busy_timeout = 0")
                await driver.execute("BEGIN IMMEDIATE")


async def test_a_connection_given_back_in_a_transaction_is_rolled_back(
    sqlite: AsyncEngine,
) -> None:
    async with sqlite.connect() as conn:
        # Behind SQLAlchemy's back, as a task cancelled half-way would leave it: the
        # driver's connection in a transaction that holds SQLite's write lock.
        raw = await conn.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        await driver.execute("BEGIN IMMEDIATE")
        await driver.execute("INSERT INTO t (v) VALUES ('half-way')")
    # Given back: the same connection is handed out next, its transaction undone.
    async with sqlite.begin() as conn:
        await conn.execute(text("INSERT INTO t (v) VALUES ('next')"))
        kept = (await conn.execute(text("SELECT v FROM t"))).scalars().all()
    assert kept == ["next"]


async def test_a_streamed_result_is_read_in_the_transaction(sqlite: AsyncEngine) -> None:
    async with sqlite.begin() as conn:
        await conn.execute(text("INSERT INTO t (v) VALUES ('a'), ('b')"))
    async with sqlite.begin() as conn:
        streamed = await conn.stream(text("SELECT v FROM t ORDER BY v"))
        assert [row.v async for row in streamed] == ["a", "b"]
        raw = await conn.get_raw_connection()
        assert in_transaction(raw.dbapi_connection)  # begun before the stream's statement


# --- the engine's gate: its transactions take SQLite's lock in the order they came ------


async def test_a_write_waits_for_one_transaction_not_for_a_whole_job(
    sqlite: AsyncEngine,
) -> None:
    """A job running transaction after transaction (as queueing the morning lists does)
    lets a write that came meanwhile in after the transaction it came during. In SQLite's
    busy handler the write slept and tried again, and the job had taken the lock again
    each time: it waited for the whole job."""
    sessions = session_factory(sqlite)
    committed: list[str] = []
    first_begun = asyncio.Event()

    async def job() -> None:
        for n in range(8):
            async with sessions.begin() as session:
                await session.execute(text("INSERT INTO t (v) VALUES (:v)"), {"v": f"job {n}"})
                first_begun.set()
                await asyncio.sleep(0.03)  # the batch's work, holding the lock
            committed.append(f"job {n}")

    async def press() -> None:
        await first_begun.wait()
        async with sessions.begin() as session:
            await session.execute(text("INSERT INTO t (v) VALUES ('press')"))
        committed.append("press")

    await asyncio.gather(job(), press())
    assert committed.index("press") <= 2, committed
    async with sessions() as session:
        assert len((await session.execute(text("SELECT v FROM t"))).all()) == 9


async def test_the_gate_opens_after_an_error_and_after_a_cancel(sqlite: AsyncEngine) -> None:
    sessions = session_factory(sqlite)
    with pytest.raises(IntegrityError):
        async with sessions.begin() as session:
            await session.execute(text("INSERT INTO t (v) VALUES ('a'), ('a')"))

    holding = asyncio.Event()

    async def cancelled_holding() -> None:
        async with sessions.begin() as session:
            await session.execute(text("INSERT INTO t (v) VALUES ('undone')"))
            holding.set()
            await asyncio.sleep(60)

    async def cancelled_waiting() -> None:
        async with sessions.begin() as session:
            await session.execute(text("INSERT INTO t (v) VALUES ('never')"))

    holder = asyncio.create_task(cancelled_holding())
    await holding.wait()
    waiter = asyncio.create_task(cancelled_waiting())
    await asyncio.sleep(0.05)  # at the gate, behind the holder
    waiter.cancel()
    holder.cancel()
    await asyncio.gather(holder, waiter, return_exceptions=True)
    async with asyncio.timeout(2):  # not the busy timeout's 10 s: the gate is open
        async with sessions.begin() as session:
            await session.execute(text("INSERT INTO t (v) VALUES ('next')"))
    async with sessions() as session:
        kept = (await session.execute(text("SELECT v FROM t"))).scalars().all()
    assert kept == ["next"]


async def test_waiting_at_the_gate_past_the_busy_timeout_is_database_is_locked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A transaction opened inside another's (a mistake) fails as SQLite would have
    failed it, "database is locked", and does not hang."""
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 200)
    engine = db.create_engine(f"sqlite+aiosqlite:///{tmp_path / 'locked.sqlite'}")
    sessions = session_factory(engine)
    try:
        async with sessions.begin() as outer:
            await outer.execute(text("CREATE TABLE t (v TEXT)"))
            with pytest.raises(OperationalError, match="database is locked"):
                async with sessions.begin() as inner:
                    await inner.execute(text("INSERT INTO t (v) VALUES ('inner')"))
        async with sessions.begin() as after:  # and the gate is open again
            await after.execute(text("INSERT INTO t (v) VALUES ('after')"))
    finally:
        await engine.dispose()
