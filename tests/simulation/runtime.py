"""A database and the services around it for a simulated world, with no Telegram: shared
by the safety-net simulation (tests/simulation/harness.py, which adds the bot) and the
continuity simulation (benchmarks/continuity/), which drives the services directly.

A fresh database per world: a temp SQLite file, or a fresh schema on the PostgreSQL
server at ``postgres_url``.
"""

from __future__ import annotations

import contextlib
import tempfile
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.config import load_settings
from bot.context import Services
from bot.rules.clock import MovableClock
from bot.runtime.runner import open_runtime
from tests.conftest import TEST_TOKEN, Database


@contextlib.asynccontextmanager
async def a_database(postgres_url: str | None) -> AsyncIterator[Database]:
    if not postgres_url:
        with tempfile.TemporaryDirectory() as folder:
            yield Database(f"sqlite+aiosqlite:///{folder}/vardag.sqlite", None)
        return
    schema = f"sim_{uuid.uuid4().hex[:16]}"
    admin = create_async_engine(postgres_url)
    async with admin.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield Database(postgres_url, schema)
    finally:
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


@dataclass(frozen=True)
class World:
    services: Services
    clock: MovableClock


@contextlib.asynccontextmanager
async def a_runtime(start: datetime, postgres_url: str | None) -> AsyncIterator[World]:
    """The services on a fresh, migrated database, their clock set to ``start``."""
    clock = MovableClock(start.astimezone(UTC))
    async with a_database(postgres_url) as database:
        settings = load_settings(
            _env_file=None,
            telegram_token=TEST_TOKEN,
            database_url=database.url,
            database_schema=database.schema,
            bot_username="VardagTestBot",
            log_level="ERROR",
        )
        engine = database.engine()
        try:
            async with open_runtime(settings, clock, engine) as runtime:
                yield World(runtime.services, clock)
        finally:
            await engine.dispose()
