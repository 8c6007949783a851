"""SQLAlchemy's aiosqlite driver, with each statement one trip to SQLite's thread.

aiosqlite runs SQLite in a thread of its own; every call is a trip there and back (a
queue, a wake-up of the event loop), and SQLAlchemy's adapter makes three or four per
statement: open a cursor, execute, fetch the rows, close the cursor. The trips, not
SQLite, were most of the database's CPU on a button press (docs/performance.md). Here
the four steps run together in SQLite's thread, in one trip; what SQLAlchemy sees (the
rows, ``description``, ``rowcount``, ``lastrowid``, the errors) is what the adapter
gave before. Server-side cursors (streamed results) keep the adapter's own way.

A transaction's ``BEGIN`` (storage/db.py) waits for its first statement and goes with
it, in the same trip; a transaction that ran no statement ends without a trip.

Every transaction begins ``IMMEDIATE``: it holds SQLite's write lock from its first
statement to its end. Left to SQLite, a transaction waiting for that lock sleeps in
SQLite's busy handler and tries again (after 1, 2, 5, ... 100 ms), and a job running
transaction after transaction (queueing the morning lists, drafting) takes the lock
again before the sleeper wakes: a press's write waited 1.3 s while 3,000 lists were
queued, behind 30 transactions (docs/performance.md). So one engine's transactions
first queue at its gate, an asyncio lock, in the order they came, and meet at SQLite's
lock only another process's."""

from __future__ import annotations

import asyncio
import sqlite3
from collections import deque
from collections.abc import Sequence
from threading import Thread
from typing import Any, cast
from weakref import WeakKeyDictionary

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util.concurrency import await_only

_Outcome = tuple[Any, int, int, list[Any]]  # description, lastrowid, rowcount, rows


def _execute(
    connection: sqlite3.Connection,
    operation: str,
    parameters: Sequence[Any] | None,
    begin: str | None = None,
) -> _Outcome:
    """In SQLite's thread: the statement, run and read whole, its cursor closed (after
    the transaction's ``begin``, when it is the first)."""
    if begin is not None:
        connection.execute(begin)
    cursor = connection.cursor()
    try:
        if parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        if cursor.description:
            return cursor.description, -1, -1, cursor.fetchall()
        return None, cast(int, cursor.lastrowid), cursor.rowcount, []
    finally:
        cursor.close()


def _execute_many(
    connection: sqlite3.Connection,
    operation: str,
    parameters: Sequence[Sequence[Any]],
    begin: str | None = None,
) -> _Outcome:
    if begin is not None:
        connection.execute(begin)
    cursor = connection.cursor()
    try:
        cursor.executemany(operation, parameters)
        return None, cast(int, cursor.lastrowid), cursor.rowcount, []
    finally:
        cursor.close()


class OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ()

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        self._run(_execute, operation, parameters)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        self._run(_execute_many, operation, seq_of_parameters)

    def _run(self, step: Any, operation: Any, parameters: Any) -> None:
        driver = cast(aiosqlite.Connection, self._connection)
        connection = cast(OneTripConnection, self._adapt_connection)
        begin = connection.take_begin()
        try:
            if begin is not None:
                self.await_(connection.enter_gate())
            # aiosqlite's own way to run a function in its thread (its public calls use
            # it too); the connection's sqlite3 object is used only there.
            trip = driver._execute(step, driver._conn, operation, parameters, begin)  # type: ignore[no-untyped-call]
            outcome: _Outcome = self.await_(trip)
        except Exception as error:
            self._adapt_connection._handle_exception(error)
        self.description, self.lastrowid, self.rowcount, rows = outcome
        self._rows = deque(rows)


class Gate:
    """One transaction of an engine at a time, in the order they came: an asyncio lock
    for each event loop the engine is used from (an asyncio lock belongs to one loop)."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout  # seconds; then "database is locked", as SQLite would say
        self._locks: WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            WeakKeyDictionary()
        )

    def lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        lock = self._locks.get(loop)
        if lock is None:
            lock = self._locks[loop] = asyncio.Lock()
        return lock


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ("_begin", "_held")

    def __init__(self, dbapi: Any, connection: Any) -> None:
        super().__init__(dbapi, connection)
        self._begin: str | None = None
        self._held: asyncio.Lock | None = None  # the engine's gate, while in a transaction

    async def enter_gate(self) -> None:
        """Wait for the engine's gate before the transaction's first statement. A wait
        longer than the busy timeout is SQLite's "database is locked", not a hang (say,
        a second transaction opened inside the first one)."""
        gate: Gate = self.dbapi.gate
        lock = gate.lock()
        try:
            # Not asyncio.wait_for: in Python 3.11 a cancel can lose a lock just taken.
            async with asyncio.timeout(gate.timeout):
                await lock.acquire()
                self._held = lock
        except TimeoutError:
            raise sqlite3.OperationalError("database is locked") from None

    def leave_gate(self) -> None:
        """Open the gate: the transaction is over (committed, undone, given back or
        closed)."""
        held, self._held = self._held, None
        if held is not None:
            held.release()

    def begin_with_next(self, statement: str) -> None:
        """Begin the transaction with ``statement``, in the trip of its first statement."""
        self._begin = statement

    def take_begin(self) -> str | None:
        begin, self._begin = self._begin, None
        return begin

    def commit(self) -> None:
        if self.take_begin() is None:  # else nothing was begun: nothing to commit
            try:
                super().commit()
            except Exception:
                if not in_transaction(self):  # else still open, to be rolled back
                    self.leave_gate()
                raise
        self.leave_gate()

    def rollback(self) -> None:
        try:
            if self.take_begin() is None:
                super().rollback()
        finally:
            self.leave_gate()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.leave_gate()

    def terminate(self) -> None:
        """The pool's way to end a connection it lost (invalidated, or found by the
        garbage collector still checked out): its gate must not stay closed with it."""
        try:
            super().terminate()
        finally:
            self.leave_gate()

    def cursor(self, server_side: bool = False) -> AsyncAdapt_aiosqlite_cursor:
        if server_side:  # the adapter's own cursor: the BEGIN goes first, on its own
            begin = self.take_begin()
            if begin is not None:
                self.await_(self.enter_gate())
                self.execute(begin)
            return super().cursor(server_side=True)
        return OneTripCursor(self)


class OneTripDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """Given to ``create_async_engine(..., module=...)`` for ``sqlite+aiosqlite`` URLs;
    one per engine: it holds the engine's gate. ``busy_timeout``: seconds a transaction
    waits at the gate (and, in SQLite, for another process's lock)."""

    def __init__(self, busy_timeout: float) -> None:
        super().__init__(aiosqlite, sqlite3)
        self.gate = Gate(busy_timeout)

    def connect(self, *arg: Any, **kw: Any) -> AsyncAdapt_aiosqlite_connection:
        connection = self.aiosqlite.connect(*arg, **kw)
        thread = connection if isinstance(connection, Thread) else connection._thread
        thread.daemon = True  # as SQLAlchemy's adapter: a forgotten connection ends with us
        return OneTripConnection(self, await_only(connection))


def in_transaction(adapted: Any) -> bool:
    """Whether the pool's (adapted) connection is in a transaction; True when it cannot
    tell (roll back to be safe)."""
    try:
        return bool(adapted.driver_connection._conn.in_transaction)
    except Exception:  # closed, or not aiosqlite's
        return True
