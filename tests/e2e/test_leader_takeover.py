"""Several instances on PostgreSQL: exactly one runs the clock and the sender (the holder
of an advisory lock); when it goes, another takes over."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest
from apscheduler.schedulers.base import STATE_PAUSED, STATE_RUNNING
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings
from bot.context import Services
from bot.rules.clock import MovableClock
from bot.runtime import leader
from bot.runtime.app import VardagApp, build_application
from bot.runtime.leader import Leadership, contend
from storage.db import session_factory
from tests.conftest import TEST_TOKEN, Database


class Instance:
    def __init__(self, application: VardagApp, engine: AsyncEngine, settings: Settings) -> None:
        assert application.job_queue is not None
        self.application = application
        self.leadership = Leadership(application.job_queue, application.bot_data["sender"])
        self.stop = asyncio.Event()
        self.engine = engine
        self.settings = settings
        self.task: asyncio.Task[None] | None = None

    def state(self) -> int:
        assert self.application.job_queue is not None
        return int(self.application.job_queue.scheduler.state)

    async def start(self) -> None:
        self.leadership.start_paused()
        await self.application.initialize()
        await self.application.start()
        self.task = asyncio.create_task(
            contend(self.leadership, self.engine, self.settings, self.stop)
        )

    async def die(self) -> None:
        self.stop.set()
        if self.task is None:
            return
        await self.task
        await self.application.stop()
        await self.application.shutdown()


@pytest.fixture
async def two_instances(
    database: Database,
    sandbox_settings: Settings,
    services: Services,  # the schema, migrated
    clock: MovableClock,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[tuple[Instance, Instance]]:
    if not database.url.startswith("postgresql"):
        pytest.skip("leader election is for PostgreSQL")
    monkeypatch.setattr(leader, "POLL_SECONDS", 0.1)
    engines = [database.engine(), database.engine()]
    instances = [
        Instance(
            build_application(
                Services(sandbox_settings, clock, session_factory(engine)), TEST_TOKEN
            ),
            engine,
            sandbox_settings,
        )
        for engine in engines
    ]
    yield instances[0], instances[1]
    for instance in instances:
        if not instance.stop.is_set():
            await instance.die()
    for engine in engines:
        await engine.dispose()


async def until(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    async with asyncio.timeout(seconds):
        while not condition():  # noqa: ASYNC110
            await asyncio.sleep(0.05)


async def test_exactly_one_leads_and_another_takes_over(
    two_instances: tuple[Instance, Instance],
) -> None:
    first, second = two_instances
    await first.start()
    await until(lambda: first.leadership.leading)
    await second.start()
    await asyncio.sleep(0.5)  # several polls: the second must not lead while the first does
    assert (first.leadership.leading, second.leadership.leading) == (True, False)
    assert (first.state(), second.state()) == (STATE_RUNNING, STATE_PAUSED)

    await first.die()
    await until(lambda: second.leadership.leading)
    assert second.state() == STATE_RUNNING
