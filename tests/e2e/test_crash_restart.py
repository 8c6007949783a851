"""``kill -9`` of a running ``vardag run`` in the middle of the morning burst, then a
restart: every list arrives, and at most the sends in flight at the kill arrive twice
(at most ``VARDAG_OUTBOX_IN_FLIGHT``, 3 here). On PostgreSQL, the same with two
instances: the leader is killed, the other finishes."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings
from bot.context import Services
from bot.rules.clock import SystemClock
from bot.sandbox.server import SandboxServer
from storage.db import session_factory
from storage.models import DayPlan
from tests.conftest import Database
from tests.coworkers import coworkers_with_a_task
from tests.e2e.conftest import cli_env

COWORKERS = 100
IN_FLIGHT = 3  # sends in flight at most (VARDAG_OUTBOX_IN_FLIGHT): a kill -9 doubles no more
FIRST_ID = 200_000


async def lists_due_now(services: Services, sandbox: SandboxServer) -> None:
    """Each co-worker has a list for today (by the real clock) whose morning has come."""
    async with services.sessions.begin() as session:
        await coworkers_with_a_task(
            services, session, COWORKERS, first_id=FIRST_ID, day=services.today(), sandbox=sandbox
        )
        await session.execute(
            update(DayPlan).values(deliver_at=services.now() - timedelta(minutes=1))
        )


def received(sandbox: SandboxServer) -> list[int]:
    """How many morning lists each co-worker has."""
    return [
        sum(1 for m in sandbox.state.messages(FIRST_ID + n) if m.from_bot and m.kind == "text"
            and (m.text or "").startswith("God morgon"))
        for n in range(COWORKERS)
    ]  # fmt: skip


@pytest.fixture
def real_time_services(settings: Settings, engine: AsyncEngine) -> Services:
    """The bot in its own process runs on the system clock: so does the set-up."""
    return Services(settings, SystemClock(), session_factory(engine))


async def start_bot(env: dict[str, str], *args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        *args,
        env=os.environ | env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )


async def until(condition: Callable[[], bool], seconds: float) -> None:
    async with asyncio.timeout(seconds):
        while not condition():  # noqa: ASYNC110
            await asyncio.sleep(0.05)


async def test_kill_9_mid_burst_then_restart(
    real_time_services: Services, sandbox: SandboxServer, database: Database
) -> None:
    await lists_due_now(real_time_services, sandbox)
    env = cli_env(database, sandbox) | {
        "VARDAG_TICK_SECONDS": "0.5",
        "VARDAG_BOT_USERNAME": "B",
        "VARDAG_OUTBOX_IN_FLIGHT": str(IN_FLIGHT),
    }

    first = await start_bot(env)
    try:
        await until(lambda: sum(received(sandbox)) >= COWORKERS // 3, 60)
    finally:
        first.send_signal(signal.SIGKILL)
        await first.wait()
    at_kill = received(sandbox)
    assert 0 < sum(at_kill) < COWORKERS  # killed in the middle of the burst

    second = await start_bot(env)
    try:
        await until(lambda: min(received(sandbox)) >= 1, 60)
        await asyncio.sleep(1.5)  # anything sent twice would have arrived by now
    finally:
        second.send_signal(signal.SIGTERM)
        _, errors = await second.communicate()
    assert second.returncode == 0, errors.decode()[-2000:]
    counts = received(sandbox)
    assert counts.count(0) == 0
    assert sum(1 for c in counts if c > 1) <= IN_FLIGHT  # at most those in flight at the kill
    assert max(counts) <= 2


def webhook_env(env: dict[str, str]) -> dict[str, str]:
    """One more instance behind the "load balancer": its own webhook port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return env | {
        "VARDAG_WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram",
        "VARDAG_WEBHOOK_LISTEN": "127.0.0.1",
        "VARDAG_WEBHOOK_PORT": str(port),
        "VARDAG_WEBHOOK_SECRET": "crash-test-secret",
    }


async def test_two_instances_the_leader_killed_mid_burst(
    real_time_services: Services, sandbox: SandboxServer, database: Database
) -> None:
    if not database.url.startswith("postgresql"):
        pytest.skip("several instances need PostgreSQL")
    await lists_due_now(real_time_services, sandbox)
    env = cli_env(database, sandbox) | {
        "VARDAG_TICK_SECONDS": "0.5",
        "VARDAG_BOT_USERNAME": "B",
        "VARDAG_OUTBOX_IN_FLIGHT": str(IN_FLIGHT),
    }

    leader = await start_bot(webhook_env(env), "--webhook")
    follower: asyncio.subprocess.Process | None = None
    try:
        await until(lambda: sum(received(sandbox)) >= 10, 60)  # the first one leads
        follower = await start_bot(webhook_env(env), "--webhook")
        await until(lambda: sum(received(sandbox)) >= COWORKERS // 3, 60)
    finally:
        leader.send_signal(signal.SIGKILL)
        await leader.wait()
    assert follower is not None
    assert sum(received(sandbox)) < COWORKERS  # killed in the middle of the burst
    try:
        await until(lambda: min(received(sandbox)) >= 1, 60)  # the follower took over
        await asyncio.sleep(1.5)
    finally:
        follower.send_signal(signal.SIGTERM)
        _, errors = await follower.communicate()
    assert follower.returncode == 0, errors.decode()[-2000:]
    counts = received(sandbox)
    assert counts.count(0) == 0
    assert sum(1 for c in counts if c > 1) <= IN_FLIGHT  # at most those in flight at the kill
