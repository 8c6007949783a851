"""The application's own database sessions have a statement time-out on PostgreSQL
(``VARDAG_DATABASE_STATEMENT_TIMEOUT``); migrations run without it."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from bot.config import Settings
from bot.runtime.runner import open_runtime
from storage.migrate import is_current
from tests.conftest import Database


@pytest.fixture(autouse=True)
def _postgres_only(database: Database) -> None:
    if not database.url.startswith("postgresql"):
        pytest.skip("a statement time-out is PostgreSQL's")


async def test_a_statement_running_too_long_is_stopped(settings: Settings) -> None:
    quick = settings.model_copy(update={"database_statement_timeout": 0.5})
    async with open_runtime(quick) as runtime, runtime.services.sessions() as session:
        assert await session.scalar(text("SHOW statement_timeout")) == "500ms"
        with pytest.raises(DBAPIError, match="statement timeout"):
            await session.execute(text("SELECT pg_sleep(3)"))


async def test_no_time_out_when_set_to_0(settings: Settings) -> None:
    unlimited = settings.model_copy(update={"database_statement_timeout": 0})
    async with open_runtime(unlimited) as runtime, runtime.services.sessions() as session:
        assert await session.scalar(text("SHOW statement_timeout")) == "0"


async def test_migrations_are_not_cut_off(settings: Settings, database: Database) -> None:
    """A fresh schema migrated from nothing, with a time-out (1 ms) that most of its
    statements would exceed: the migrations run on an engine without it."""
    tiny = settings.model_copy(update={"database_statement_timeout": 0.001})
    async with open_runtime(tiny):
        pass
    check = database.engine()
    try:
        assert await is_current(check)
    finally:
        await check.dispose()
