"""Counting the SQL one piece of work runs: statements and transactions, attributed by
the asyncio task that ran them (SQLAlchemy's async engine runs its events in the task
that awaits it), so the clock's jobs and other chats' updates do not count.

A count is not a timing: a test may say "a press runs at most N statements", which
holds on a loaded machine as on an idle one."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine


@dataclass
class Counted:
    statements: list[str] = field(default_factory=list)
    transactions: int = 0

    def __str__(self) -> str:
        lines = "\n".join(f"  {sql.split()[0]} {sql[:150]!r}" for sql in self.statements)
        return f"{len(self.statements)} statements in {self.transactions} transactions:\n{lines}"


def _task_name() -> str | None:
    try:
        task = asyncio.current_task()
    except RuntimeError:
        return None
    return None if task is None else task.get_name()


@contextlib.contextmanager
def counting(engine: AsyncEngine, counts: Callable[[str], bool]) -> Iterator[Counted]:
    """Count the statements (not the BEGIN each transaction starts with) and the
    transactions run by tasks whose name ``counts`` accepts, while inside."""
    counted = Counted()
    sync_engine = engine.sync_engine

    def on_statement(
        _conn: Any, _cursor: Any, statement: str, _params: Any, _context: Any, _many: bool
    ) -> None:
        name = _task_name()
        if name is not None and counts(name):
            counted.statements.append(" ".join(statement.split()))

    def on_begin(_conn: Any) -> None:
        name = _task_name()
        if name is not None and counts(name):
            counted.transactions += 1

    # (On SQLite a transaction's BEGIN IMMEDIATE goes with its first statement:
    # storage/sqlite_driver.py. It is counted as the transaction, not as a statement.)
    listeners: list[tuple[str, Callable[..., None]]] = [
        ("before_cursor_execute", on_statement),
        ("begin", on_begin),
    ]
    for name, listener in listeners:
        event.listen(sync_engine, name, listener)
    try:
        yield counted
    finally:
        for name, listener in listeners:
            event.remove(sync_engine, name, listener)
