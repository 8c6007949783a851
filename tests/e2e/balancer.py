"""A small load balancer in front of several ``vardag run --webhook`` instances, as an
operator would put one (tests/e2e/test_handover_faults.py).

It follows each instance's ``/readyz``, asked every ``probe_seconds`` (each instance on
its own, so one that hangs does not hold up the other's probes). Ready means the
instance's database answers and is migrated, whether it leads or follows: any instance
can store an update in the inbox, and any instance then processes it. ``/healthz`` is
not enough: it says only that the process runs, and an instance that has lost its
database can only refuse the update (503).

Each webhook POST goes to the next ready instance in turn (round-robin). On a
connection error, a time-out or a 5xx the other ready instances are tried; the sender
(the sandbox, in place of Telegram) gets the answer of the instance that took it, or
502/503 when none did, and then delivers the update again later, as Telegram does.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import Callable

import aiohttp
from aiohttp import web

# What the balancer passes on from the sender's request (the secret token among them).
FORWARDED_HEADERS = ("Content-Type", "X-Telegram-Bot-Api-Secret-Token")

# Told of every answer an instance gives to a POST: (instance, status, the body sent).
OnAnswer = Callable[[str, int, bytes], None]


class Balancer:
    def __init__(
        self,
        *,
        probe_seconds: float = 0.5,
        probe_timeout: float = 2.0,
        attempt_timeout: float = 4.0,
    ) -> None:
        self.backends: list[str] = []  # base URLs: http://host:port
        self.ready: dict[str, bool] = {}
        self.forwarded: Counter[str] = Counter()  # answers 2xx, by instance
        self.on_answer: OnAnswer | None = None
        self.url = ""
        self._probe_seconds = probe_seconds
        self._probe_timeout = probe_timeout
        self._attempt_timeout = attempt_timeout
        self._turn = 0
        self._session: aiohttp.ClientSession | None = None
        self._runner: web.AppRunner | None = None
        self._probes: list[asyncio.Task[None]] = []

    async def start(self) -> str:
        """Listen on a free port of 127.0.0.1 and start probing; returns the base URL."""
        self._session = aiohttp.ClientSession()
        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_post("/{path:.*}", self._forward)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"
        return self.url

    def add(self, backend: str) -> None:
        """An instance behind the balancer (``http://host:port``), probed from now on."""
        self.backends.append(backend)
        self.ready[backend] = False
        name = f"balancer-probe-{backend}"
        self._probes.append(asyncio.create_task(self._probe_forever(backend), name=name))

    async def close(self) -> None:
        for task in self._probes:
            task.cancel()
        for task in self._probes:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._runner is not None:
            await self._runner.cleanup()
        if self._session is not None:
            await self._session.close()

    async def _probe_forever(self, backend: str) -> None:
        while True:
            self.ready[backend] = await self._probe(backend)
            await asyncio.sleep(self._probe_seconds)

    async def _probe(self, backend: str) -> bool:
        assert self._session is not None
        timeout = aiohttp.ClientTimeout(total=self._probe_timeout)
        try:
            async with self._session.get(f"{backend}/readyz", timeout=timeout) as response:
                await response.read()
                return response.status == 200
        except (aiohttp.ClientError, TimeoutError):
            return False

    def _in_turn(self) -> list[str]:
        """The ready instances, starting with the next one in turn."""
        self._turn += 1
        start = self._turn % len(self.backends)
        order = self.backends[start:] + self.backends[:start]
        return [backend for backend in order if self.ready[backend]]

    async def _forward(self, request: web.Request) -> web.Response:
        body = await request.read()
        given = request.headers
        headers = {name: given[name] for name in FORWARDED_HEADERS if name in given}
        candidates = self._in_turn()
        if not candidates:
            return web.Response(status=503, text="no instance is ready")
        answer: web.Response | None = None
        for backend in candidates:
            answer = await self._attempt(backend, request.path_qs, headers, body)
            if answer is not None and answer.status < 500:
                return answer
        return answer or web.Response(status=502, text="no instance answered")

    async def _attempt(
        self, backend: str, path: str, headers: dict[str, str], body: bytes
    ) -> web.Response | None:
        """The instance's answer, or None when it could not be reached in time (it is
        then taken out of the turn until its next good probe)."""
        assert self._session is not None
        timeout = aiohttp.ClientTimeout(total=self._attempt_timeout)
        try:
            async with self._session.post(
                f"{backend}{path}", data=body, headers=headers, timeout=timeout
            ) as response:
                content = await response.read()
                status = response.status
        except (aiohttp.ClientError, TimeoutError):
            self.ready[backend] = False
            return None
        if 200 <= status < 300:
            self.forwarded[backend] += 1
        if self.on_answer is not None:
            self.on_answer(backend, status, body)
        return web.Response(status=status, body=content)
