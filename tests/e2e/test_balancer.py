"""The test load balancer (tests/e2e/balancer.py) does what the handover fault tests
rely on: it follows ``/readyz``, takes turns, and passes an update to the other
instance when one fails it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
import pytest
from aiohttp import web

from tests.e2e.balancer import Balancer


@dataclass
class Backend:
    """A stand-in for one instance's web server: ``/readyz`` and the webhook path."""

    ready: bool = True
    answer: int = 200
    taken: int = 0
    url: str = ""
    runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/readyz", self._readyz)
        app.router.add_post("/telegram", self._update)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", 0).start()
        host, port = self.runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"

    async def _readyz(self, _request: web.Request) -> web.Response:
        return web.json_response({}, status=200 if self.ready else 503)

    async def _update(self, request: web.Request) -> web.Response:
        assert request.headers["X-Telegram-Bot-Api-Secret-Token"] == "s"
        if self.answer == 200:
            self.taken += 1
        return web.Response(status=self.answer)


@pytest.fixture
async def two() -> AsyncIterator[tuple[Balancer, Backend, Backend]]:
    a, b = Backend(), Backend()
    await a.start()
    await b.start()
    balancer = Balancer(probe_seconds=0.05)
    await balancer.start()
    balancer.add(a.url)
    balancer.add(b.url)
    yield balancer, a, b
    await balancer.close()
    for backend in (a, b):
        assert backend.runner is not None
        await backend.runner.cleanup()


async def post(balancer: Balancer) -> int:
    headers = {"X-Telegram-Bot-Api-Secret-Token": "s"}
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{balancer.url}/telegram", json={"update_id": 1}, headers=headers) as got,
    ):
        return got.status


async def until_ready(balancer: Balancer, expected: dict[str, bool]) -> None:
    async with asyncio.timeout(10):
        while balancer.ready != expected:  # noqa: ASYNC110
            await asyncio.sleep(0.02)


async def test_takes_turns_between_ready_instances(two: tuple[Balancer, Backend, Backend]) -> None:
    balancer, a, b = two
    await until_ready(balancer, {a.url: True, b.url: True})
    assert [await post(balancer) for _ in range(4)] == [200] * 4
    assert (a.taken, b.taken) == (2, 2)


async def test_follows_readyz(two: tuple[Balancer, Backend, Backend]) -> None:
    balancer, a, b = two
    a.ready = False
    await until_ready(balancer, {a.url: False, b.url: True})
    assert [await post(balancer) for _ in range(3)] == [200] * 3
    assert (a.taken, b.taken) == (0, 3)
    b.ready = False
    await until_ready(balancer, {a.url: False, b.url: False})
    assert await post(balancer) == 503  # nobody ready: the sender tries again later


async def test_a_5xx_goes_to_the_other_instance(two: tuple[Balancer, Backend, Backend]) -> None:
    balancer, a, b = two
    await until_ready(balancer, {a.url: True, b.url: True})
    a.answer = 503  # ready by its probe, but it cannot store the update
    assert [await post(balancer) for _ in range(4)] == [200] * 4
    assert (a.taken, b.taken) == (0, 4)
    b.answer = 500
    assert await post(balancer) in {500, 503}  # an instance's own answer: sent again later
