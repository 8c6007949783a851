"""SQLite through storage/sqlite_driver.py: every statement runs in the event loop's own
thread and SQLAlchemy sees what its own adapter gave (rows, rowcount, lastrowid, errors);
nothing waits inside SQLite: one engine's transactions queue at its gate, and another
process's lock is waited for in the loop, which keeps running, until the busy timeout;
a connection given back to the pool while still in a transaction is rolled back (and the
lock let go), one that committed is not rolled back again."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import create_engine, session_factory
from storage.sqlite_driver import in_transaction

BUSY_TIMEOUT_MS = 300  # the tests' own, short, busy timeout


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "driver.sqlite"


@pytest.fixture
async def sqlite(path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[AsyncEngine]:
    monkeypatch.setattr("storage.db.SQLITE_BUSY_TIMEOUT_MS", BUSY_TIMEOUT_MS)
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)"))
    try:
        yield engine
    finally:
        await engine.dispose()


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


async def test_every_statement_runs_in_the_loops_thread_and_a_commit_is_not_undone(
    sqlite: AsyncEngine,
) -> None:
    sessions = session_factory(sqlite)
    ran: list[tuple[str, int]] = []
    async with sessions.begin() as session:  # the pool's connection, made once
        raw = await (await session.connection()).get_raw_connection()
        raw.driver_connection.set_trace_callback(  # type: ignore[union-attr]
            lambda statement: ran.append((statement, threading.get_ident()))
        )
    async with sessions.begin() as session:
        await session.execute(text("INSERT INTO t (v) VALUES ('a')"))
        await session.execute(text("SELECT v FROM t"))
    async with sessions.begin() as session:  # begun, and nothing asked: nothing run
        pass
    # BEGIN IMMEDIATE with the first statement, the second, COMMIT: and no rollback on
    # the way back to the pool; all of it here, in the event loop's thread.
    assert [statement for statement, _ in ran] == [
        "BEGIN IMMEDIATE",
        "INSERT INTO t (v) VALUES ('a')",
        "SELECT v FROM t",
        "COMMIT",
    ]
    assert {thread for _, thread in ran} == {threading.get_ident()}


@contextmanager
def held_by_another_process(path: Path) -> Iterator[sqlite3.Connection]:
    """SQLite's write lock, held as another process's connection would hold it."""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        yield other
    finally:
        other.close()


async def test_the_write_lock_is_taken_with_the_first_statement(
    sqlite: AsyncEngine, path: Path
) -> None:
    """BEGIN IMMEDIATE still comes first: a read in one transaction holds the lock, so
    another writer cannot slip in between its read and its write."""
    async with sqlite.begin() as first:
        await first.execute(text("SELECT count(*) FROM t"))
        with (
            pytest.raises(sqlite3.OperationalError, match="locked"),
            held_by_another_process(path),
        ):
            pass


async def test_one_engines_transactions_take_turns_at_its_gate(sqlite: AsyncEngine) -> None:
    first_may_end = asyncio.Event()
    order: list[str] = []

    async def first() -> None:
        async with sqlite.begin() as conn:
            await conn.execute(text("INSERT INTO t (v) VALUES ('first')"))
            await first_may_end.wait()  # holding the transaction, and the gate
            order.append("first ends")

    async def second() -> None:
        async with sqlite.begin() as conn:
            await conn.execute(text("INSERT INTO t (v) VALUES ('second')"))
            order.append("second wrote")

    one = asyncio.create_task(first())
    await asyncio.sleep(0.05)
    two = asyncio.create_task(second())
    await asyncio.sleep(BUSY_TIMEOUT_MS / 1000 / 2)
    assert not two.done()  # waiting at the gate, while this loop goes on
    first_may_end.set()
    await asyncio.gather(one, two)
    assert order == ["first ends", "second wrote"]
    async with sqlite.connect() as conn:
        kept = (await conn.execute(text("SELECT v FROM t ORDER BY id"))).scalars().all()
    assert kept == ["first", "second"]


async def ticks_while(awaitable: asyncio.Future[None] | asyncio.Task[None]) -> int:
    """How often the event loop ran a 5 ms timer while ``awaitable`` was not done."""
    ticks = 0
    while not awaitable.done():
        await asyncio.sleep(0.005)
        ticks += 1
    return ticks


async def test_another_process_s_lock_is_waited_for_in_the_loop_not_in_sqlite(
    sqlite: AsyncEngine, path: Path
) -> None:
    async def write() -> None:
        async with sqlite.begin() as conn:
            await conn.execute(text("INSERT INTO t (v) VALUES ('after the other')"))

    with held_by_another_process(path) as other:
        other.execute("INSERT INTO t (v) VALUES ('other')")
        writing = asyncio.create_task(write())
        release = asyncio.get_running_loop().call_later(
            BUSY_TIMEOUT_MS / 1000 / 2, other.execute, "COMMIT"
        )
        ticks = await ticks_while(writing)
        release.cancel()
    await writing
    # The loop ran its timer all along (a wait inside SQLite would have stopped it).
    assert ticks >= 10
    async with sqlite.connect() as conn:
        kept = (await conn.execute(text("SELECT v FROM t ORDER BY id"))).scalars().all()
    assert kept == ["other", "after the other"]


async def test_a_lock_held_past_the_busy_timeout_is_sqlites_own_error_and_nothing_stays_held(
    sqlite: AsyncEngine, path: Path
) -> None:
    with held_by_another_process(path), pytest.raises(OperationalError, match="locked"):
        async with sqlite.begin() as conn:
            await conn.execute(text("INSERT INTO t (v) VALUES ('refused')"))
    async with sqlite.begin() as conn:  # the gate was opened again
        await conn.execute(text("INSERT INTO t (v) VALUES ('later')"))
        kept = (await conn.execute(text("SELECT v FROM t"))).scalars().all()
    assert kept == ["later"]


async def test_a_transaction_inside_a_transaction_fails_instead_of_hanging(
    sqlite: AsyncEngine,
) -> None:
    """A second session opened inside the first one's transaction would wait for the
    first for ever: it gets "database is locked" after the busy timeout instead."""
    async with sqlite.begin() as outer:
        await outer.execute(text("INSERT INTO t (v) VALUES ('outer')"))
        with pytest.raises(OperationalError, match="database is locked"):
            async with sqlite.begin() as inner:
                await inner.execute(text("INSERT INTO t (v) VALUES ('inner')"))
    async with sqlite.connect() as conn:
        kept = (await conn.execute(text("SELECT v FROM t"))).scalars().all()
    assert kept == ["outer"]


async def test_a_transaction_cancelled_half_way_lets_the_next_one_in(
    sqlite: AsyncEngine,
) -> None:
    started = asyncio.Event()

    async def half_way() -> None:
        async with sqlite.begin() as conn:
            await conn.execute(text("INSERT INTO t (v) VALUES ('half-way')"))
            started.set()
            await asyncio.Event().wait()  # cancelled here, in the transaction

    async def waits_at_the_gate() -> None:
        async with sqlite.begin() as conn:
            await conn.execute(text("INSERT INTO t (v) VALUES ('never')"))

    stopped = asyncio.create_task(half_way())
    await started.wait()
    waiting = asyncio.create_task(waits_at_the_gate())
    await asyncio.sleep(0.02)
    for task in (waiting, stopped):  # the waiting one first: it must not take the gate
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    async with sqlite.begin() as conn:
        await conn.execute(text("INSERT INTO t (v) VALUES ('next')"))
        kept = (await conn.execute(text("SELECT v FROM t"))).scalars().all()
    assert kept == ["next"]


async def test_a_connection_given_back_in_a_transaction_is_rolled_back(
    sqlite: AsyncEngine,
) -> None:
    async with sqlite.connect() as conn:
        # Behind SQLAlchemy's back, as a task cancelled half-way would leave it: the
        # driver's connection in a transaction that holds SQLite's write lock.
        raw = await conn.get_raw_connection()
        driver = raw.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        driver.execute("BEGIN IMMEDIATE")
        driver.execute("INSERT INTO t (v) VALUES ('half-way')")
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
