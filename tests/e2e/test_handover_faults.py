"""Handovers under faults (PostgreSQL): two real ``vardag run --webhook`` instances
behind a load balancer that follows ``/readyz``, a morning burst of lists, co-workers
pressing "✅ Klar" through the sandbox and the balancer, and a fault in the middle of it
(tests/e2e/cluster.py, balancer.py, presses.py, pgproxy.py).

For each fault: every list arrives (0 lost), at most one arrives twice in all, A's
``/readyz`` never says "leader" once B's has, and every press has its effect in the
database (0 lost), answered within 15 s or later. The takeover time and the figures are printed
(``pytest -s``); they are in docs/delivery.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.config import Settings
from bot.context import Services
from bot.rules.clock import SystemClock
from bot.runtime.leader import lock_key
from bot.sandbox.client import SandboxClient
from bot.sandbox.limits import FaultConfig
from bot.sandbox.server import SandboxServer
from storage.db import session_factory
from tests.conftest import Database
from tests.e2e.balancer import Balancer
from tests.e2e.cluster import (
    COWORKERS,
    Instance,
    Watch,
    listening_env,
    lists_due_now,
    lists_received,
    until,
    until_ready,
)
from tests.e2e.conftest import cli_env
from tests.e2e.pgproxy import Proxy
from tests.e2e.presses import Pressers, PressFigures

SEND_SECONDS = 0.3  # the sandbox answers each send this late: the burst lasts ~8 s
SEND_TIMEOUT = 10  # VARDAG_OUTBOX_SEND_TIMEOUT: a claim's lease is 15 s
UPDATE_LEASE = 10  # VARDAG_UPDATE_LEASE_SECONDS: a press held by a dead instance waits this
PRESSES = 10  # co-workers who press "✅ Klar" during each fault, spread over its window


@dataclass
class Cluster:
    sandbox: SandboxServer
    proxy: Proxy
    balancer: Balancer
    a: Instance
    b: Instance
    watch: Watch
    services: Services
    pressers: Pressers
    done_at: float = 0.0

    async def lists_due(self) -> None:
        self.pressers.task_ids = await lists_due_now(self.services, self.sandbox)

    async def burst(self) -> None:
        """The lists fall due now; returns once the burst is well under way."""
        await self.lists_due()
        await until(lambda: sum(lists_received(self.sandbox)) >= 5, 30)

    def press_over(self, seconds: float) -> asyncio.Task[None]:
        """Co-workers press "✅ Klar", spread over the next ``seconds``."""
        return asyncio.create_task(self.pressers.press_over(seconds, PRESSES))

    async def all_arrived(self, seconds: float = 60) -> None:
        await until(lambda: min(lists_received(self.sandbox)) >= 1, seconds)
        self.done_at = time.monotonic()
        await asyncio.sleep(2.0)  # anything sent twice would have arrived by now

    async def check(self, fault: str, moment: float, pressing: asyncio.Task[None]) -> int:
        """The figures, printed and checked; returns how many lists arrived twice."""
        await pressing
        presses = await self.pressers.settled()
        counts = lists_received(self.sandbox)
        lost, doubled = counts.count(0), sum(c - 1 for c in counts if c > 1)
        takeover = self.watch.b_leads_since(moment)
        shown = "no handover" if takeover is None else f"{takeover:.1f} s"
        print(
            f"\n{fault}: takeover {shown}; {COWORKERS} lists, {lost} lost, {doubled} doubled, "
            f"all there {self.done_at - moment:.1f} s after the fault; {presses}; "
            f"updates through the balancer: A {self.balancer.forwarded[self.a.address]}, "
            f"B {self.balancer.forwarded[self.b.address]}"
        )
        assert self.balancer.forwarded.total() >= PRESSES  # each press came through it
        assert lost == 0
        assert doubled <= 1
        assert self.watch.a_leads_after_b() == []
        assert_no_press_lost(presses)
        return doubled


def assert_no_press_lost(presses: PressFigures) -> None:
    assert presses.made == PRESSES
    assert presses.lost == 0


@pytest.fixture
async def cluster(
    settings: Settings,
    engine: AsyncEngine,  # the schema, migrated
    database: Database,
    sandbox: SandboxServer,
    people: SandboxClient,
    tmp_path: Path,
) -> AsyncIterator[Cluster]:
    if not database.url.startswith("postgresql"):
        pytest.skip("several instances and their handover need PostgreSQL")
    url = make_url(database.url)
    proxy = Proxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    balancer = Balancer()
    public = await balancer.start()
    env = cli_env(database, sandbox) | {
        "VARDAG_TICK_SECONDS": "0.5",
        "VARDAG_BOT_USERNAME": "B",
        "VARDAG_OUTBOX_SEND_TIMEOUT": str(SEND_TIMEOUT),
        "VARDAG_UPDATE_LEASE_SECONDS": str(UPDATE_LEASE),
    }
    through_proxy = url.set(host="127.0.0.1", port=proxy.port)
    a = Instance(
        "A",
        listening_env(env, public) | {"VARDAG_DATABASE_URL": through_proxy.render_as_string(False)},
        tmp_path / "a.log",
    )
    b = Instance("B", listening_env(env, public), tmp_path / "b.log")
    watch = Watch(a, b)
    watching: list[asyncio.Task[None]] = []
    services = Services(settings, SystemClock(), session_factory(engine))
    pressers = Pressers(sandbox, people, services)
    try:
        for instance in (a, b):
            balancer.add(instance.address)
        await a.start()
        await until_ready(a, "leader")
        await b.start()
        await until_ready(b, "follower")
        await until(lambda: all(balancer.ready.values()), 30)
        watching = [asyncio.create_task(watch.run()), asyncio.create_task(pressers.watch())]
        sandbox.faults.configure(FaultConfig(delay_seconds=SEND_SECONDS))
        yield Cluster(sandbox, proxy, balancer, a, b, watch, services, pressers)
    finally:
        sandbox.faults.configure(FaultConfig())
        proxy.restore()
        for task in watching:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        for instance in (a, b):
            if instance.process is not None:
                code = await instance.stop()
                assert instance.killed or code == 0, instance.errors()
        await balancer.close()
        await proxy.close()


async def test_sigterm_of_the_leader_mid_burst(cluster: Cluster) -> None:
    """A rolling deploy: the leader stops its sender, then hands over."""
    await cluster.burst()
    moment = time.monotonic()
    pressing = cluster.press_over(12)
    assert await cluster.a.stop(signal.SIGTERM) == 0, cluster.a.errors()
    await cluster.all_arrived()
    assert await cluster.check("SIGTERM of the leader", moment, pressing) == 0  # clean
    assert cluster.watch.b_leads_since(moment) is not None


async def test_the_lock_session_killed(cluster: Cluster, database: Database) -> None:
    await cluster.burst()
    key = lock_key(database.schema) & 0xFFFF_FFFF_FFFF_FFFF
    admin = create_async_engine(database.url)
    try:
        async with admin.begin() as connection:
            moment = time.monotonic()
            pressing = cluster.press_over(12)
            killed = await connection.scalar(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_locks "
                    "WHERE locktype = 'advisory' AND granted AND objsubid = 1 "
                    "AND classid = :high AND objid = :low"
                ),
                {"high": key >> 32, "low": key & 0xFFFF_FFFF},
            )
    finally:
        await admin.dispose()
    assert killed == 1
    await cluster.all_arrived()
    await cluster.check("the lock session killed", moment, pressing)
    assert cluster.watch.b_leads_since(moment) is not None


async def test_the_database_cut_and_flapping(cluster: Cluster) -> None:
    """A loses its database mid-burst, then for 30 s it comes and goes: 2 s away, 1 s
    back."""
    await cluster.burst()
    moment = time.monotonic()
    pressing = cluster.press_over(30)

    async def flap() -> None:
        for _ in range(10):
            cluster.proxy.cut()
            await asyncio.sleep(2.0)
            cluster.proxy.restore()
            await asyncio.sleep(1.0)

    flapping = asyncio.create_task(flap())
    await cluster.all_arrived()  # while it flaps
    await flapping
    await cluster.check("the database cut and flapping for 30 s", moment, pressing)
    assert cluster.watch.b_leads_since(moment) is not None


async def test_the_leader_partitioned(cluster: Cluster) -> None:
    """A's packets to and from the database stop (nothing closes) until B has led for
    2 s."""
    await cluster.burst()
    moment = time.monotonic()
    pressing = cluster.press_over(12)
    cluster.proxy.stall()

    async def heal() -> None:
        await until(lambda: cluster.watch.b_leads_since(moment) is not None, 30)
        await asyncio.sleep(2.0)
        cluster.proxy.restore()

    healing = asyncio.create_task(heal())
    await cluster.all_arrived()  # the partition may still last
    await healing
    await cluster.check("the leader partitioned", moment, pressing)


async def test_killed_right_after_answering_200(cluster: Cluster) -> None:
    """``kill -9`` of the leader at the moment it has answered 200 to a press: the press
    is in the inbox, and B takes it (once A's hold on it, if any, has run out) and sends
    the rest of the lists. A's connections to the database are cut at that moment too,
    so nothing A was still doing reaches it (the press is acknowledged, at most begun)."""
    killed: list[tuple[float, str]] = []  # when, and the press A had acknowledged

    def kill_after_a_press(backend: str, status: int, body: bytes) -> None:
        update = json.loads(body)
        pressed = "callback_query" in update
        if backend == cluster.a.address and status == 200 and pressed and not killed:
            cluster.proxy.cut()
            cluster.a.kill_now()
            killed.append((time.monotonic(), update["callback_query"]["id"]))

    await cluster.burst()
    cluster.balancer.on_answer = kill_after_a_press
    pressing = cluster.press_over(12)
    await until(lambda: bool(killed), 30)
    moment, query_id = killed[0]
    assert cluster.a.process is not None
    await cluster.a.process.wait()
    cluster.proxy.restore()
    await cluster.all_arrived()
    await cluster.check("killed right after answering 200", moment, pressing)
    assert cluster.watch.b_leads_since(moment) is not None
    (acknowledged,) = [p for p in cluster.pressers.presses if p.query_id == query_id]
    assert acknowledged.answered_at is not None
    print(f"the press A acknowledged was answered {acknowledged.answered_at - moment:.1f} s later")


async def test_telegram_slow(cluster: Cluster) -> None:
    """Every send and edit is answered after 8 s (python-telegram-bot's read time-out is
    5 s); answers to presses are not slowed."""
    cluster.sandbox.faults.configure(FaultConfig(delay_seconds=8.0))
    moment = time.monotonic()
    await cluster.lists_due()
    pressing = cluster.press_over(12)
    await cluster.all_arrived()
    print(f"\nthe burst took {cluster.done_at - moment:.1f} s")
    assert await cluster.check("Telegram slow (8 s a call)", moment, pressing) == 0
