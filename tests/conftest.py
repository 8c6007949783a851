"""Shared fixtures: a real database for every test (a temp SQLite file, or a fresh
PostgreSQL schema when ``VARDAG_TEST_DATABASE_URL`` is set), settings and services."""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.config import Settings, load_settings
from bot.context import Services
from bot.rules.clock import MovableClock
from storage.db import create_engine, session_factory
from storage.migrate import upgrade

POSTGRES_URL = os.environ.get("VARDAG_TEST_DATABASE_URL")
TEST_TOKEN = "123456789:TEST-token-for-the-sandbox-only"


class Database:
    """Where a test's data lives: a URL plus, on PostgreSQL, the schema to use."""

    def __init__(self, url: str, schema: str | None) -> None:
        self.url = url
        self.schema = schema

    def engine(self) -> AsyncEngine:
        return create_engine(self.url, search_path=self.schema)

    def env(self) -> dict[str, str]:
        env = {"VARDAG_DATABASE_URL": self.url}
        if self.schema:
            env["VARDAG_DATABASE_SCHEMA"] = self.schema
        return env


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    if not POSTGRES_URL:
        yield Database(f"sqlite+aiosqlite:///{tmp_path / 'vardag.sqlite'}", None)
        return
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = create_async_engine(POSTGRES_URL)
    async with admin.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield Database(POSTGRES_URL, schema)
    finally:
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


@pytest.fixture
async def engine(database: Database) -> AsyncIterator[AsyncEngine]:
    engine = database.engine()
    await upgrade(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
def clock() -> MovableClock:
    # A Tuesday in November, 06:00 in Stockholm.
    return MovableClock(datetime(2026, 11, 24, 5, 0, tzinfo=UTC))


@pytest.fixture
def settings(database: Database) -> Settings:
    return load_settings(
        _env_file=None,
        telegram_token=TEST_TOKEN,
        database_url=database.url,
        database_schema=database.schema,
        bot_username="VardagTestBot",
        tick_seconds=0.1,
        # Doors are slow on a loaded test machine; their own answers to presses are the
        # ones tested (the early answer: tests/e2e/test_intake.py).
        press_answer_seconds=10.0,
    )


HANG_SECONDS = 150.0


@pytest.fixture(autouse=True)
async def _show_tasks_if_hanging() -> AsyncIterator[None]:
    """A test still running after HANG_SECONDS prints where each asyncio task waits (to
    stderr), so a hang names its cause before pytest-timeout ends the test."""
    loop = asyncio.get_running_loop()

    def show() -> None:
        print(f"\n== still running after {HANG_SECONDS:.0f} s; asyncio tasks:", file=sys.stderr)
        for task in asyncio.all_tasks(loop):
            task.print_stack(limit=8, file=sys.stderr)

    handle = loop.call_later(HANG_SECONDS, show)
    yield
    handle.cancel()


@pytest.fixture
def services(settings: Settings, clock: MovableClock, engine: AsyncEngine) -> Services:
    return Services(settings, clock, session_factory(engine))
