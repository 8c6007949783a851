"""Stopping the bot leaves no job running. A job the scheduler started while the bot
stopped was cancelled by PTB with its work still going, past the engine's disposal and
the event loop's end (seen as an aiosqlite thread's "Event loop is closed")."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings
from bot.rules.clock import MovableClock
from bot.runtime.app import build_application
from bot.runtime.runner import open_runtime, polling
from tests.conftest import TEST_TOKEN

# Such a job's work ended with the loop, in another thread: fail on that thread's error too.
pytestmark = pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")


async def test_no_job_starts_or_is_left_running_once_the_bot_stops(
    sandbox_settings: Settings, clock: MovableClock, engine: AsyncEngine
) -> None:
    running: set[str] = set()
    across_the_stop = asyncio.Event()

    async def late(_: Any) -> None:  # longer than what is left of ``stopping``
        running.add("late")
        await asyncio.sleep(1)
        running.discard("late")

    async def stopping(context: Any) -> None:
        # Still running when the bot begins to stop, it asks for one more job then.
        running.add("stopping")
        across_the_stop.set()
        while context.application.running:  # noqa: ASYNC110 (PTB has no event for it)
            await asyncio.sleep(0.01)
        context.job_queue.run_once(late, 0)
        await asyncio.sleep(0.2)  # room for the scheduler to start it, were it to
        running.discard("stopping")

    async with open_runtime(sandbox_settings, clock, engine) as runtime:
        application = build_application(runtime.services, TEST_TOKEN)
        async with polling(application, poll_timeout=1):
            assert application.job_queue is not None
            application.job_queue.run_once(stopping, 0)
            await across_the_stop.wait()
        assert running == set()
