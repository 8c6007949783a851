"""The bot for a simulation: the real Application, services and outbox sender against
the sandbox Bot API over HTTP, but nothing runs by itself. Time moves only when the
simulation sets the :class:`MovableClock`; at each moment the simulation ticks the very
job callbacks ``jobs/__init__.py`` registers, in that order, and hands the sandbox's
pending updates (a person's message or press) to the Application one at a time.

For speed the throttles meant for the real Telegram are off: the sandbox's rate limits,
the Application's overall rate limiter, and the sender's own per-chat and overall pace.
Nothing else differs from production.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.config import load_settings
from bot.context import Services
from bot.outbox import sender as sender_module
from bot.rules.clock import MovableClock
from bot.runtime.app import VardagApp, build_application
from bot.runtime.runner import open_runtime
from bot.sandbox.client import SandboxClient
from bot.sandbox.limits import LimitConfig
from bot.sandbox.models import Message
from bot.sandbox.server import SandboxServer
from bot.sandbox.state import SandboxState
from tests.conftest import POSTGRES_URL, TEST_TOKEN
from tests.simulation.runtime import a_database


@dataclass
class Bot:
    application: VardagApp
    services: Services
    clock: MovableClock
    sandbox: SandboxServer
    people: SandboxClient
    jobs: list[Callable[[Any], Any]] = field(default_factory=list)
    offset: int = 0
    spent: dict[str, float] = field(default_factory=dict)  # seconds per job

    async def tick(self) -> None:
        """Every job once, in the order they are registered, at the clock's moment."""
        # The application's own context type (bot/telegram/context.py), as its JobQueue makes.
        context: Any = self.application.context_types.context(self.application)
        for callback in self.jobs:
            began = time.monotonic()
            await callback(context)
            name = getattr(callback, "__name__", "?")
            self.spent[name] = self.spent.get(name, 0.0) + time.monotonic() - began

    async def take_updates(self) -> None:
        """What people did in the sandbox, handled as the polling Application would."""
        while updates := await self.application.bot.get_updates(offset=self.offset, timeout=0):
            for update in updates:
                self.offset = update.update_id + 1
                await self.application.process_update(update)

    def phone(self, telegram_id: int) -> list[Message]:
        """Everything in the person's chat with the bot, as their phone shows it."""
        return self.sandbox.state.messages(telegram_id)


@contextlib.asynccontextmanager
async def a_bot(start: datetime) -> AsyncIterator[Bot]:
    with pytest.MonkeyPatch.context() as monkeypatch:
        async with _a_bot(start, monkeypatch) as bot:
            yield bot


@contextlib.asynccontextmanager
async def _a_bot(start: datetime, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Bot]:
    monkeypatch.setattr(sender_module, "PER_CHAT_INTERVAL", 0.0)
    sandbox = SandboxServer(SandboxState(token=TEST_TOKEN, bot_username="VardagTestBot"))
    sandbox.limiter.configure(LimitConfig(enabled=False))
    await sandbox.start()
    clock = MovableClock(start.astimezone(UTC))
    try:
        async with a_database(POSTGRES_URL) as database:
            settings = load_settings(
                _env_file=None,
                telegram_token=TEST_TOKEN,
                database_url=database.url,
                database_schema=database.schema,
                bot_username="VardagTestBot",
                bot_api_url=sandbox.url,
                telegram_rate=100_000,  # the sandbox's limits are off: no pace either
                log_level=os.environ.get("VARDAG_SIM_LOG_LEVEL", "ERROR"),
            )
            engine = database.engine()
            try:
                async with open_runtime(settings, clock, engine) as runtime:
                    application = build_application(runtime.services, TEST_TOKEN)
                    assert application.job_queue is not None
                    # The registered jobs, in order; the queue itself is never started.
                    callbacks = [job.callback for job in application.job_queue.jobs()]
                    assert sandbox.url is not None
                    async with application, SandboxClient(sandbox.url) as people:
                        yield Bot(application, runtime.services, clock, sandbox, people, callbacks)
            finally:
                await engine.dispose()
    finally:
        await sandbox.stop()
