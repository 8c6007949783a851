"""SQLAlchemy's async SQLite dialect, with SQLite run in the event loop's own thread.

aiosqlite runs SQLite in a thread of its own, and every call is a hand-over there and
back: a queue, the GIL passed between threads, a wake-up of the event loop through its
self-pipe. On a button press those hand-overs, not SQLite's work, were most of the CPU
between Vardag and a bare echo bot (docs/performance.md); this database's statements
take microseconds. So here a statement runs where SQLAlchemy asks for it, in the loop's
thread, and what SQLAlchemy sees (rows, ``description``, ``rowcount``, ``lastrowid``,
the errors) is what sqlite3 gives.

What must not happen in the loop's thread is waiting, and SQLite waits only for another
writer's lock. So nothing waits inside SQLite (``busy_timeout`` 0):

* the transactions of one engine queue at its gate (first come, first served) before
  their ``BEGIN IMMEDIATE``, so they never meet at SQLite's lock;
* a statement SQLite refuses as busy (another process holds the lock) is tried again
  after an ``asyncio.sleep``, in the steps SQLite's own busy handler takes, until the
  busy timeout has passed; then the error is SQLite's own, "database is locked".

A statement that refused as busy did nothing, so trying it again is safe (a ``COMMIT``
too: the transaction stays open). A long statement holds the loop for as long as it runs:
the price, measured in docs/performance.md."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy.connectors.asyncio import AsyncAdapt_dbapi_module
from sqlalchemy.engine.interfaces import AdaptedConnection
from sqlalchemy.util.concurrency import await_only

_T = TypeVar("_T")
SQLITE_BUSY = 5
SQLITE_BUSY_SNAPSHOT = 517  # the snapshot is stale: trying again cannot help
# sqlite3's own busy handler sleeps these steps (milliseconds), then the last one again.
BUSY_STEPS_MS = (1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100)


def _busy(error: sqlite3.OperationalError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    return code is not None and code & 0xFF == SQLITE_BUSY and code != SQLITE_BUSY_SNAPSHOT


class Gate:
    """One transaction of an engine at a time, in the order they came; a lock for each
    event loop the engine is used from (an asyncio lock belongs to one loop)."""

    def __init__(self) -> None:
        self._locks: WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            WeakKeyDictionary()
        )

    def lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        lock = self._locks.get(loop)
        if lock is None:
            lock = self._locks[loop] = asyncio.Lock()
        return lock


class InLoopCursor:
    """A DBAPI cursor over sqlite3. Read whole at ``execute``, or (``server_side``, a
    streamed result) row by row as SQLAlchemy fetches."""

    def __init__(self, adapt_connection: InLoopConnection, server_side: bool = False) -> None:
        self._adapt_connection = adapt_connection
        self.server_side = server_side
        self.arraysize = 1
        self.rowcount = -1
        self.lastrowid: int | None = None
        self.description: Any = None
        self._rows: deque[Any] = deque()
        self._streamed: sqlite3.Cursor | None = None

    def execute(self, operation: str, parameters: Sequence[Any] | None = None) -> None:
        cursor = self._adapt_connection.run(_execute, operation, parameters)
        self._read(cursor)

    def executemany(self, operation: str, seq_of_parameters: Sequence[Sequence[Any]]) -> None:
        cursor = self._adapt_connection.run(_execute_many, operation, seq_of_parameters)
        self._read(cursor)

    def _read(self, cursor: sqlite3.Cursor) -> None:
        self.description = cursor.description
        if cursor.description:
            self.lastrowid = self.rowcount = -1
            if self.server_side:
                self._streamed = cursor
                return
            self._rows = deque(cursor.fetchall())
        else:
            self.lastrowid, self.rowcount = cursor.lastrowid, cursor.rowcount
        cursor.close()

    def setinputsizes(self, *inputsizes: Any) -> None:
        pass

    async def _async_soft_close(self) -> None:
        """SQLAlchemy's async result closes the cursor this way; rows already read
        stay readable, as with its own adapter."""

    def fetchone(self) -> Any:
        if self._streamed is not None:
            return self._streamed.fetchone()
        return self._rows.popleft() if self._rows else None

    def fetchmany(self, size: int | None = None) -> list[Any]:
        size = self.arraysize if size is None else size
        if self._streamed is not None:
            return self._streamed.fetchmany(size)
        rows = self._rows
        return [rows.popleft() for _ in range(min(size, len(rows)))]

    def fetchall(self) -> list[Any]:
        if self._streamed is not None:
            return self._streamed.fetchall()
        rows = list(self._rows)
        self._rows.clear()
        return rows

    def close(self) -> None:
        self._rows.clear()
        if self._streamed is not None:
            self._streamed.close()
            self._streamed = None


def _execute(
    connection: sqlite3.Connection, operation: str, parameters: Sequence[Any] | None
) -> sqlite3.Cursor:
    cursor = connection.cursor()
    try:
        if parameters is None:
            return cursor.execute(operation)
        return cursor.execute(operation, parameters)
    except BaseException:
        cursor.close()
        raise


def _execute_many(
    connection: sqlite3.Connection, operation: str, parameters: Sequence[Sequence[Any]]
) -> sqlite3.Cursor:
    cursor = connection.cursor()
    try:
        return cursor.executemany(operation, parameters)
    except BaseException:
        cursor.close()
        raise


class InLoopConnection(AdaptedConnection):
    """sqlite3's connection, as SQLAlchemy's async engine expects it. A transaction's
    ``BEGIN`` (storage/db.py) waits for its first statement: a transaction that ran no
    statement ends without touching SQLite (or the gate)."""

    __slots__ = ("_begin", "_held", "dbapi")
    await_ = staticmethod(await_only)

    def __init__(self, dbapi: InLoopDBAPI, connection: sqlite3.Connection) -> None:
        self.dbapi = dbapi
        # SQLAlchemy types this as an async driver's connection; here it is sqlite3's.
        self._connection = connection  # type: ignore[assignment]
        self._begin: str | None = None
        self._held: asyncio.Lock | None = None  # the engine's gate, while in a transaction

    @property
    def sqlite(self) -> sqlite3.Connection:
        return self._connection  # type: ignore[return-value]

    def begin_with_next(self, statement: str) -> None:
        """Begin the transaction with ``statement``, just before its first statement."""
        self._begin = statement

    def take_begin(self) -> str | None:
        begin, self._begin = self._begin, None
        return begin

    def run(self, step: Callable[..., _T], *args: Any) -> _T:
        """``step(connection, *args)``, in the transaction (begun now, when this is its
        first statement), tried again while another process holds SQLite's lock."""
        return self.await_(self._run(step, args))

    async def _run(self, step: Callable[..., _T], args: tuple[Any, ...]) -> _T:
        begin = self.take_begin()
        if begin is not None:
            await self._enter(begin)
        if step is _execute_many:  # not tried again: the rows before would be written twice
            return step(self.sqlite, *args)
        return await self._patiently(step, self.sqlite, *args)

    async def _enter(self, begin: str) -> None:
        lock = self.dbapi.gate.lock()
        try:
            # A wait longer than the busy timeout is the old "database is locked", not a
            # hang (say, a second session opened in the first one's transaction). Not
            # asyncio.wait_for: in Python 3.11 a cancel can lose a lock it just took.
            async with asyncio.timeout(self.dbapi.busy_timeout):
                await lock.acquire()
        except TimeoutError:
            raise sqlite3.OperationalError("database is locked") from None
        self._held = lock
        try:
            await self._patiently(self.sqlite.execute, begin)
        except BaseException:
            self._leave()
            raise

    def _leave(self) -> None:
        """Open the gate when the transaction is over (committed, undone, or closed)."""
        held = self._held
        if held is not None and not self.sqlite.in_transaction:
            self._held = None
            held.release()

    async def _patiently(self, step: Callable[..., _T], *args: Any) -> _T:
        deadline: float | None = None
        for attempt in range(1_000_000):
            try:
                return step(*args)
            except sqlite3.OperationalError as error:
                if not _busy(error):
                    raise
                now = time.monotonic()
                deadline = now + self.dbapi.busy_timeout if deadline is None else deadline
                if now >= deadline:
                    raise
                pause = BUSY_STEPS_MS[min(attempt, len(BUSY_STEPS_MS) - 1)] / 1000
                await asyncio.sleep(min(pause, deadline - now))
        raise AssertionError("unreachable")  # pragma: no cover

    @property
    def isolation_level(self) -> str | None:
        return self.sqlite.isolation_level

    @isolation_level.setter
    def isolation_level(self, value: str | None) -> None:
        self.sqlite.isolation_level = value  # type: ignore[assignment]

    def create_function(self, *args: Any, **kw: Any) -> None:
        self.sqlite.create_function(*args, **kw)

    def cursor(self, server_side: bool = False) -> InLoopCursor:
        return InLoopCursor(self, server_side)

    def execute(self, operation: str, parameters: Sequence[Any] = ()) -> sqlite3.Cursor:
        return self.run(_execute, operation, parameters)

    def commit(self) -> None:
        if self.take_begin() is not None:  # begun, and nothing ran: nothing to commit
            return
        try:
            self.await_(self._patiently(self.sqlite.commit))
        finally:
            self._leave()

    def rollback(self) -> None:
        if self.take_begin() is not None:
            return
        try:
            self.sqlite.rollback()
        finally:
            self._leave()

    def terminate(self) -> None:
        """The pool's way to end a connection it lost track of (garbage-collected while
        still checked out): closing is safe here, there is no thread to stop."""
        self.close()

    def close(self) -> None:
        self._begin = None
        try:
            self.sqlite.close()  # undoes a transaction still open
        finally:
            held, self._held = self._held, None
            if held is not None:
                held.release()


_FROM_SQLITE3 = (  # what SQLAlchemy's dialect reads from its driver's module
    "DatabaseError",
    "Error",
    "IntegrityError",
    "NotSupportedError",
    "OperationalError",
    "ProgrammingError",
    "sqlite_version",
    "sqlite_version_info",
    "PARSE_COLNAMES",
    "PARSE_DECLTYPES",
    "Binary",
)


class InLoopDBAPI(AsyncAdapt_dbapi_module):
    """Given to ``create_async_engine(..., module=...)`` for ``sqlite+aiosqlite`` URLs:
    the dialect is SQLAlchemy's aiosqlite one, the driver sqlite3 itself. One per engine:
    it holds the engine's gate. ``busy_timeout``: seconds to wait for another process's
    lock."""

    def __init__(self, busy_timeout: float) -> None:
        for name in _FROM_SQLITE3:
            setattr(self, name, getattr(sqlite3, name))
        self.sqlite = sqlite3
        self.paramstyle = "qmark"
        # The dialect "terminates" a connection the garbage collector found still checked
        # out only when the driver can; this one can (``terminate``), else the connection
        # would be dropped with its transaction, and SQLite's lock, still held.
        self.has_stop = True
        self.busy_timeout = busy_timeout
        self.gate = Gate()

    def connect(self, *arg: Any, **kw: Any) -> InLoopConnection:
        kw["timeout"] = 0  # nothing waits inside SQLite (see the module's doc)
        kw["check_same_thread"] = False  # a connection may be closed by another thread's gc
        connection = sqlite3.connect(*arg, **kw)
        return InLoopConnection(self, connection)


def in_transaction(adapted: Any) -> bool:
    """Whether the pool's (adapted) connection is in a transaction; True when it cannot
    tell (roll back to be safe)."""
    try:
        return bool(adapted.driver_connection.in_transaction)
    except Exception:  # closed, or not sqlite3's
        return True
