"""End-to-end fixtures: the project's sandbox Bot API server over real HTTP, and the
real python-telegram-bot Application polling it, with the real job queue."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings
from bot.context import Services
from bot.rules.clock import MovableClock
from bot.runtime.app import VardagApp, build_application
from bot.runtime.runner import open_runtime, polling
from bot.sandbox.client import SandboxClient
from bot.sandbox.server import SandboxServer
from bot.sandbox.state import SandboxState
from tests.conftest import TEST_TOKEN, Database


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    server = SandboxServer(SandboxState(token=TEST_TOKEN, bot_username="VardagTestBot"))
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def sandbox_settings(settings: Settings, sandbox: SandboxServer) -> Settings:
    return settings.model_copy(update={"bot_api_url": sandbox.url, "bot_username": None})


@pytest.fixture
async def people(sandbox: SandboxServer) -> AsyncIterator[SandboxClient]:
    async with SandboxClient(sandbox.url) as client:
        yield client


@dataclass
class RunningBot:
    application: VardagApp
    services: Services
    clock: MovableClock


@pytest.fixture
async def running_bot(
    sandbox_settings: Settings, clock: MovableClock, engine: AsyncEngine
) -> AsyncIterator[RunningBot]:
    async with open_runtime(sandbox_settings, clock, engine) as runtime:
        application = build_application(runtime.services, TEST_TOKEN)
        async with polling(application, poll_timeout=1):
            yield RunningBot(application, runtime.services, clock)


def cli_env(database: Database, sandbox: SandboxServer) -> dict[str, str]:
    return database.env() | {
        "VARDAG_BOT_API_URL": sandbox.url,
        "VARDAG_TELEGRAM_TOKEN": TEST_TOKEN,
        "VARDAG_LOG_LEVEL": "WARNING",
    }
