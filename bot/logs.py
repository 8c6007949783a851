"""Logging that never shows a message body or the bot token.

Two formats (``VARDAG_LOG_FORMAT``): ``text``, one readable line a record, or ``json``,
one JSON object a line with ``time``, ``level``, ``logger``, ``message`` and, while an
update is being processed, its ``update_id`` (and ``exception`` when there is one).
"""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Awaitable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import IO, Any, Literal

from telegram import Update
from telegram.ext import SimpleUpdateProcessor

LogFormat = Literal["text", "json"]
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# The update being processed, for the logs: set around each update by UpdateIdForLogs.
UPDATE_ID: ContextVar[int | None] = ContextVar("vardag_update_id", default=None)

# httpx logs each request URL, and Telegram URLs carry the token; the database drivers
# and SQLAlchemy log statements with their parameters (message bodies) at DEBUG/INFO.
QUIET = (
    "httpx",
    "httpcore",
    "apscheduler",
    "aiohttp.access",
    "aiohttp.client",
    "alembic",
    "aiosqlite",
    "sqlalchemy",
    "asyncio",
)
# python-telegram-bot logs whole updates (with what people wrote) at DEBUG; its INFO
# lines (started, stopped, network trouble) are worth keeping.
AT_MOST_INFO = ("telegram",)


def stack_without_values(error: BaseException) -> str:
    """Where an error happened, without what it says: an exception's message may hold a
    person's text or id (a database error's DETAIL names the row's key). The kinds of the
    errors in the chain and the lines of code they passed, nothing else."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = traceback.format_tb(current.__traceback__)
        parts.append("".join(frames) + type(current).__qualname__)
        current = current.__cause__ or current.__context__
    return "\n-- caused by or while handling --\n".join(reversed(parts))


class RedactToken(logging.Filter):
    """Belt and braces: replace the token wherever it might still appear."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if self._token and self._token in record.getMessage():
            record.msg = record.getMessage().replace(self._token, "<token>")
            record.args = None
        return True


class UpdateIdForLogs(SimpleUpdateProcessor):
    """Processes updates one at a time, as python-telegram-bot does by default, with the
    update's id in :data:`UPDATE_ID` while its handlers (and error handlers) run."""

    __slots__ = ()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        token = UPDATE_ID.set(update.update_id if isinstance(update, Update) else None)
        try:
            await coroutine
        finally:
            UPDATE_ID.reset(token)


class WithUpdateId(logging.Filter):
    """Stamps each record with the id of the update being processed, if any."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "update_id"):
            record.update_id = UPDATE_ID.get()
        return True


class JsonLines(logging.Formatter):
    """One JSON object a line. The message is the same one the text format shows (it never
    holds a message body); the token is replaced wherever it might still appear."""

    def __init__(self, token: str | None = None) -> None:
        super().__init__()
        self._token = token

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        update_id = getattr(record, "update_id", None)
        if update_id is not None:
            entry["update_id"] = update_id
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        line = json.dumps(entry, ensure_ascii=False)
        return line.replace(self._token, "<token>") if self._token else line


def setup(
    level: str,
    token: str | None = None,
    log_format: LogFormat = "text",
    stream: IO[str] | None = None,
) -> None:
    """Log to ``stream`` (standard error) in ``log_format``; as ``logging.basicConfig``,
    a handler is added only where none is set up yet, and the filters go on every one."""
    logging.basicConfig(level=level.upper(), format=TEXT_FORMAT, stream=stream)
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    for name in AT_MOST_INFO:
        logging.getLogger(name).setLevel(logging.INFO)
    for handler in logging.getLogger().handlers:
        handler.addFilter(WithUpdateId())
        if token:
            handler.addFilter(RedactToken(token))
        if log_format == "json":
            handler.setFormatter(JsonLines(token))
