"""Two real ``vardag run --webhook`` instances behind a load balancer, for the handover
fault tests (tests/e2e/test_handover_faults.py).

Instance A reaches PostgreSQL through a proxy the test can cut, flap and stall
(tests/e2e/pgproxy.py); B directly. Both register the balancer's address
(tests/e2e/balancer.py) as their public webhook URL, each listening on a port of its
own, so the sandbox, in Telegram's place, delivers every update to the balancer, which
passes it to a ready instance. :class:`Watch` asks both ``/readyz`` over and over, to
time the takeover and to see that A never says "leader" once B has.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import IO

import aiohttp
from sqlalchemy import update

from bot.context import Services
from bot.sandbox.server import SandboxServer
from storage.models import DayPlan
from tests.coworkers import coworkers_with_a_task

COWORKERS = 20
FIRST_ID = 300_000
SECRET = "handover-test-secret"


@dataclass
class Instance:
    name: str
    env: dict[str, str]
    log: Path
    process: asyncio.subprocess.Process | None = None
    killed: bool = False
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
    def address(self) -> str:
        """Where this instance itself listens (the balancer and the probes use it)."""
        return f"http://127.0.0.1:{self.env['VARDAG_WEBHOOK_PORT']}"

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

    def kill_now(self) -> None:
        """``kill -9``, at once (from a callback that cannot wait)."""
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGKILL)
            self.killed = True

    def errors(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


def listening_env(env: dict[str, str], public_url: str) -> dict[str, str]:
    """An instance behind the balancer: a port of its own, the balancer's public URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return env | {
        "VARDAG_WEBHOOK_URL": f"{public_url}/telegram",
        "VARDAG_WEBHOOK_LISTEN": "127.0.0.1",
        "VARDAG_WEBHOOK_PORT": str(port),
        "VARDAG_WEBHOOK_SECRET": SECRET,
    }


async def readyz(session: aiohttp.ClientSession, instance: Instance) -> dict[str, str]:
    try:
        async with session.get(
            f"{instance.address}/readyz", timeout=aiohttp.ClientTimeout(total=6)
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

    def a_leads_after_b(self) -> list[float]:
        """When (seconds after B's first "leader") A answered "leader" to a question
        asked after it: two leaders. (Answers whose spans merely overlap prove nothing:
        each read ``leader_terms`` at some moment within its span.)"""
        b_answers = self.samples["B"]
        b_led = next((answered for _, answered, role in b_answers if role == "leader"), None)
        if b_led is None:
            return []
        return [
            asked - b_led
            for asked, _, role in self.samples["A"]
            if role == "leader" and asked > b_led
        ]

    def b_leads_since(self, moment: float) -> float | None:
        """How long after ``moment`` B first answered "leader" (None: it never did)."""
        for asked, answered, role in self.samples["B"]:
            if asked >= moment and role == "leader":
                return answered - moment
        return None


async def until(condition: Callable[[], bool], seconds: float) -> None:
    async with asyncio.timeout(seconds):
        while not condition():  # noqa: ASYNC110
            await asyncio.sleep(0.05)


async def until_ready(instance: Instance, role: str, seconds: float = 30) -> None:
    async with aiohttp.ClientSession() as session, asyncio.timeout(seconds):
        while (await readyz(session, instance)).get("role") != role:  # noqa: ASYNC110
            await asyncio.sleep(0.1)


async def lists_due_now(services: Services, sandbox: SandboxServer) -> list[int]:
    """Each co-worker's list for today falls due; returns their tasks' ids, in order."""
    async with services.sessions.begin() as session:
        crowd = await coworkers_with_a_task(
            services, session, COWORKERS, first_id=FIRST_ID, day=services.today(), sandbox=sandbox
        )
        task_ids = [task.id for _, task in crowd]
        await session.execute(
            update(DayPlan).values(deliver_at=services.now() - timedelta(minutes=1))
        )
    return task_ids


def lists_received(sandbox: SandboxServer) -> list[int]:
    """How many morning lists each co-worker has (a list edited in place stays one)."""
    return [
        sum(1 for m in sandbox.state.messages(FIRST_ID + n) if m.from_bot
            and m.kind == "text" and (m.text or "").startswith("God morgon"))
        for n in range(COWORKERS)
    ]  # fmt: skip
