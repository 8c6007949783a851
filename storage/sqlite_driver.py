"""SQLAlchemy's aiosqlite driver, with each statement one trip to SQLite's thread.

aiosqlite runs SQLite in a thread of its own; every call is a trip there and back (a
queue, a wake-up of the event loop), and SQLAlchemy's adapter makes three or four per
statement: open a cursor, execute, fetch the rows, close the cursor. The trips, not
SQLite, were most of the database's CPU on a button press (docs/performance.md). Here
the four steps run together in SQLite's thread, in one trip; what SQLAlchemy sees (the
rows, ``description``, ``rowcount``, ``lastrowid``, the errors) is what the adapter
gave before. Server-side cursors (streamed results) keep the adapter's own way.

A transaction's ``BEGIN`` (storage/db.py) waits for its first statement and goes with
it, in the same trip; a transaction that ran no statement ends without a trip."""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Sequence
from threading import Thread
from typing import Any, cast

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
        begin = cast(OneTripConnection, self._adapt_connection).take_begin()
        try:
            # aiosqlite's own way to run a function in its thread (its public calls use
            # it too); the connection's sqlite3 object is used only there.
            trip = driver._execute(step, driver._conn, operation, parameters, begin)  # type: ignore[no-untyped-call]
            outcome: _Outcome = self.await_(trip)
        except Exception as error:
            self._adapt_connection._handle_exception(error)
        self.description, self.lastrowid, self.rowcount, rows = outcome
        self._rows = deque(rows)


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ("_begin",)

    def __init__(self, dbapi: Any, connection: Any) -> None:
        super().__init__(dbapi, connection)
        self._begin: str | None = None

    def begin_with_next(self, statement: str) -> None:
        """Begin the transaction with ``statement``, in the trip of its first statement."""
        self._begin = statement

    def take_begin(self) -> str | None:
        begin, self._begin = self._begin, None
        return begin

    def commit(self) -> None:
        if self.take_begin() is None:  # else nothing was begun: nothing to commit
            super().commit()

    def rollback(self) -> None:
        if self.take_begin() is None:
            super().rollback()

    def cursor(self, server_side: bool = False) -> AsyncAdapt_aiosqlite_cursor:
        if server_side:  # the adapter's own cursor: the BEGIN goes first, on its own
            begin = self.take_begin()
            if begin is not None:
                self.execute(begin)
            return super().cursor(server_side=True)
        return OneTripCursor(self)


class OneTripDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """Given to ``create_async_engine(..., module=...)`` for ``sqlite+aiosqlite`` URLs."""

    def __init__(self) -> None:
        super().__init__(aiosqlite, sqlite3)

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
