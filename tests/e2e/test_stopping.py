"""Stopping the bot leaves nothing of it running: no job (one the scheduler started while
the bot stopped was cancelled by PTB with its work still going, past the engine's
disposal and the event loop's end: an aiosqlite thread's "Event loop is closed"), and no
call still being tried again in the background."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings
from bot.rules.clock import MovableClock
from bot.runtime.app import build_application
from bot.runtime.background import BACKGROUND
from bot.runtime.runner import open_runtime, polling
from bot.sandbox.client import SandboxClient
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


async def test_a_call_still_being_tried_again_stops_with_the_bot(
    sandbox_settings: Settings, clock: MovableClock, engine: AsyncEngine, people: SandboxClient
) -> None:
    await people.set_faults(rate_500=1.0, methods=["setMyCommands"])
    async with open_runtime(sandbox_settings, clock, engine) as runtime:
        application = build_application(runtime.services, TEST_TOKEN)
        async with polling(application, poll_timeout=1):
            retrying = set(application.bot_data[BACKGROUND])
            assert [task.get_name() for task in retrying] == ["setting the command menus"]
        assert all(task.done() for task in retrying)
