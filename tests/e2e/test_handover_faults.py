"""Handovers under faults (PostgreSQL): two real ``vardag run --webhook`` instances, a
morning burst of lists, and a fault in the middle of it. Instance A reaches PostgreSQL
through a proxy the test can cut, flap and stall (tests/e2e/pgproxy.py); B directly.

For each fault: every list arrives (0 lost), at most one arrives twice in all, the two
``/readyz`` never both say "leader", and the takeover time is printed (``pytest -s``).
The figures are in docs/delivery.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import IO

import aiohttp
import pytest
from sqlalchemy import text, update
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.clock import SystemClock
from bot.config import Settings
from bot.leader import lock_key
from bot.sandbox.limits import FaultConfig
from bot.sandbox.server import SandboxServer
from bot.services import planning
from bot.services.context import Services
from storage.db import session_factory
from storage.models import DayPlan, Role, TaskTemplate
from storage.repos import people as people_repo
from tests.conftest import Database
from tests.e2e.conftest import cli_env
from tests.e2e.pgproxy import Proxy
from tests.e2e.test_crash_restart import webhook_env

COWORKERS = 20
FIRST_ID = 300_000
SEND_SECONDS = 0.3  # the sandbox answers each send this late: the burst lasts ~8 s
SEND_TIMEOUT = 10  # VARDAG_OUTBOX_SEND_TIMEOUT: a claim's lease is 15 s


@dataclass
class Instance:
    name: str
    env: dict[str, str]
    log: Path
    process: asyncio.subprocess.Process | None = None
    _log_file: IO[bytes] | None = None

    async def start(self) -> None:
        self._log_file = self.log.open("wb")
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--webhook",
            env=os.environ | self.env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=self._log_file,
        )  # fmt: skip

    @property
    def probes(self) -> str:
        return self.env["VARDAG_WEBHOOK_URL"].removesuffix("/telegram")

    @property
    def holder(self) -> str:
        assert self.process is not None
        return f"{socket.gethostname()}:{self.process.pid}"

    async def stop(self, sig: int = signal.SIGTERM) -> int:
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(sig)
        try:
            code = await asyncio.wait_for(self.process.wait(), 30)
        finally:
            if self._log_file is not None:
                self._log_file.close()
        return code

    def errors(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


async def readyz(session: aiohttp.ClientSession, instance: Instance) -> dict[str, str]:
    try:
        async with session.get(
            f"{instance.probes}/readyz", timeout=aiohttp.ClientTimeout(total=6)
        ) as response:
            body: dict[str, str] = await response.json()
            return body
    except (aiohttp.ClientError, TimeoutError):
        return {"status": "down"}


Sample = tuple[float, float, str | None]  # asked at, answered at, the role it gave


@dataclass
class Watch:
    """Asks each instance's ``/readyz`` over and over (each on its own, so one that hangs
    does not slow the other's samples) until stopped."""

    a: Instance
    b: Instance
    samples: dict[str, list[Sample]] = field(default_factory=lambda: {"A": [], "B": []})

    async def run(self) -> None:
        async with aiohttp.ClientSession() as session:
            await asyncio.gather(self._ask(session, self.a), self._ask(session, self.b))

    async def _ask(self, session: aiohttp.ClientSession, instance: Instance) -> None:
        while True:
            asked = time.monotonic()
            role = (await readyz(session, instance)).get("role")
            self.samples[instance.name].append((asked, time.monotonic(), role))
            await asyncio.sleep(0.1)

    def two_leaders(self) -> int:
        """Answers "leader" from both whose time spans overlap (it may have been true of
        both at once)."""
        leading = {
            name: [(asked, answered) for asked, answered, role in samples if role == "leader"]
            for name, samples in self.samples.items()
        }
        return sum(
            1
            for a_asked, a_answered in leading["A"]
            for b_asked, b_answered in leading["B"]
            if a_asked <= b_answered and b_asked <= a_answered
        )

    def b_leads_since(self, moment: float) -> float | None:
        """How long after ``moment`` B first answered "leader" (None: it never did)."""
        for asked, answered, role in self.samples["B"]:
            if asked >= moment and role == "leader":
                return answered - moment
        return None


@dataclass
class Cluster:
    sandbox: SandboxServer
    proxy: Proxy
    a: Instance
    b: Instance
    watch: Watch
    services: Services
    done_at: float = 0.0

    def received(self) -> list[int]:
        return [
            sum(1 for m in self.sandbox.state.messages(FIRST_ID + n) if m.from_bot
                and m.kind == "text" and (m.text or "").startswith("God morgon"))
            for n in range(COWORKERS)
        ]  # fmt: skip

    async def burst(self) -> None:
        """The lists fall due now; returns once the burst is well under way."""
        await lists_due_now(self.services, self.sandbox)
        await until(lambda: sum(self.received()) >= 5, 30)

    async def all_arrived(self, seconds: float = 45) -> None:
        await until(lambda: min(self.received()) >= 1, seconds)
        self.done_at = time.monotonic()
        await asyncio.sleep(2.0)  # anything sent twice would have arrived by now

    def report(self, fault: str, moment: float) -> tuple[int, int]:
        counts = self.received()
        lost = counts.count(0)
        doubled = sum(c - 1 for c in counts if c > 1)
        takeover = self.watch.b_leads_since(moment)
        shown = "no handover" if takeover is None else f"{takeover:.1f} s"
        print(
            f"\n{fault}: {COWORKERS} lists, {lost} lost, {doubled} doubled, takeover {shown}, "
            f"all there {self.done_at - moment:.1f} s after the fault"
        )
        return lost, doubled


async def until(condition: Callable[[], bool], seconds: float) -> None:
    async with asyncio.timeout(seconds):
        while not condition():  # noqa: ASYNC110
            await asyncio.sleep(0.05)


async def until_ready(instance: Instance, role: str, seconds: float = 30) -> None:
    async with aiohttp.ClientSession() as session, asyncio.timeout(seconds):
        while (await readyz(session, instance)).get("role") != role:  # noqa: ASYNC110
            await asyncio.sleep(0.1)


async def lists_due_now(services: Services, sandbox: SandboxServer) -> None:
    async with services.sessions.begin() as session:
        template = TaskTemplate(title="Vattna blommorna", created_at=services.now())
        session.add(template)
        await session.flush()
        for n in range(COWORKERS):
            person = await people_repo.add_person(
                session, name=f"Person {n}", role=Role.COWORKER, now=services.now(),
                telegram_user_id=FIRST_ID + n,
            )  # fmt: skip
            sandbox.state.add_user(FIRST_ID + n, f"Person {n}", started=True)
            await planning.add_task(
                services, session, coworker=person, template=template, day=services.today()
            )
        await session.execute(
            update(DayPlan).values(deliver_at=services.now() - timedelta(minutes=1))
        )


@pytest.fixture
async def cluster(
    settings: Settings,
    engine: AsyncEngine,  # the schema, migrated
    database: Database,
    sandbox: SandboxServer,
    tmp_path: Path,
) -> AsyncIterator[Cluster]:
    if not database.url.startswith("postgresql"):
        pytest.skip("several instances and their handover need PostgreSQL")
    url = make_url(database.url)
    proxy = Proxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    env = cli_env(database, sandbox) | {
        "VARDAG_TICK_SECONDS": "0.5",
        "VARDAG_BOT_USERNAME": "B",
        "VARDAG_OUTBOX_SEND_TIMEOUT": str(SEND_TIMEOUT),
    }
    through_proxy = url.set(host="127.0.0.1", port=proxy.port)
    a = Instance(
        "A",
        webhook_env(env) | {"VARDAG_DATABASE_URL": through_proxy.render_as_string(False)},
        tmp_path / "a.log",
    )
    b = Instance("B", webhook_env(env), tmp_path / "b.log")
    watch = Watch(a, b)
    watching: asyncio.Task[None] | None = None
    services = Services(settings, SystemClock(), session_factory(engine))
    try:
        await a.start()
        await until_ready(a, "leader")
        await b.start()
        await until_ready(b, "follower")
        watching = asyncio.create_task(watch.run())
        sandbox.faults.configure(FaultConfig(delay_seconds=SEND_SECONDS))
        yield Cluster(sandbox, proxy, a, b, watch, services)
    finally:
        sandbox.faults.configure(FaultConfig())
        proxy.restore()
        if watching is not None:
            watching.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watching
        for instance in (a, b):
            if instance.process is not None and instance.process.returncode is None:
                code = await instance.stop()
                assert code == 0, instance.errors()
        await proxy.close()


def check(cluster: Cluster, fault: str, moment: float) -> None:
    lost, doubled = cluster.report(fault, moment)
    assert lost == 0
    assert doubled <= 1
    assert cluster.watch.two_leaders() == 0


async def test_sigterm_of_the_leader_mid_burst(cluster: Cluster) -> None:
    """A rolling deploy: the leader stops its sender, then hands over."""
    await cluster.burst()
    moment = time.monotonic()
    assert await cluster.a.stop(signal.SIGTERM) == 0, cluster.a.errors()
    await cluster.all_arrived()
    check(cluster, "SIGTERM of the leader", moment)
    assert cluster.report("SIGTERM of the leader", moment)[1] == 0  # a clean handover
    assert cluster.watch.b_leads_since(moment) is not None


async def test_the_lock_session_killed(cluster: Cluster, database: Database) -> None:
    await cluster.burst()
    key = lock_key(database.schema) & 0xFFFF_FFFF_FFFF_FFFF
    admin = create_async_engine(database.url)
    try:
        async with admin.begin() as connection:
            moment = time.monotonic()
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
    check(cluster, "the lock session killed", moment)
    assert cluster.watch.b_leads_since(moment) is not None


async def test_the_database_cut_and_flapping(cluster: Cluster) -> None:
    """A loses its database mid-burst, then it comes and goes: 2 s away, 1 s back."""
    await cluster.burst()
    moment = time.monotonic()
    for _ in range(5):
        cluster.proxy.cut()
        await asyncio.sleep(2.0)
        cluster.proxy.restore()
        await asyncio.sleep(1.0)
    await cluster.all_arrived()
    check(cluster, "the database cut and flapping", moment)
    assert cluster.watch.b_leads_since(moment) is not None


async def test_the_leader_partitioned(cluster: Cluster) -> None:
    """A's packets to and from the database stop (nothing closes) for 15 s."""
    await cluster.burst()
    moment = time.monotonic()
    cluster.proxy.stall()
    await until(lambda: cluster.watch.b_leads_since(moment) is not None, 15)
    await asyncio.sleep(2.0)
    cluster.proxy.restore()
    await cluster.all_arrived()
    check(cluster, "the leader partitioned", moment)


async def test_telegram_slow(cluster: Cluster) -> None:
    """Every send is answered after 8 s (python-telegram-bot's read time-out is 5 s)."""
    cluster.sandbox.faults.configure(FaultConfig(delay_seconds=8.0))
    moment = time.monotonic()
    await lists_due_now(cluster.services, cluster.sandbox)
    await cluster.all_arrived(50)
    lost, doubled = cluster.report("Telegram slow (8 s a send)", moment)
    print(f"the burst took {time.monotonic() - moment - 2:.1f} s")
    assert (lost, doubled) == (0, 0)
    assert cluster.watch.two_leaders() == 0
