"""Logging that never shows a message body or the bot token."""

from __future__ import annotations

import logging

# httpx logs each request URL, and Telegram URLs carry the token; the database drivers
# and SQLAlchemy log statements with their parameters (message bodies) at DEBUG/INFO.
QUIET = (
    "httpx",
    "httpcore",
    "apscheduler",
    "aiohttp.access",
    "alembic",
    "aiosqlite",
    "sqlalchemy",
    "asyncio",
    "tornado",
)
# python-telegram-bot logs whole updates (with what people wrote) at DEBUG; its INFO
# lines (started, stopped, network trouble) are worth keeping.
AT_MOST_INFO = ("telegram",)


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


def setup(level: str, token: str | None = None) -> None:
    logging.basicConfig(
        level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    for name in AT_MOST_INFO:
        logging.getLogger(name).setLevel(logging.INFO)
    if token:
        for handler in logging.getLogger().handlers:
            handler.addFilter(RedactToken(token))
