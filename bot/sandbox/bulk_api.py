"""Routes for a sandbox with many people, used by the benchmarks when the sandbox runs
in a process of its own (``python -m bot.sandbox``): add many started users at once,
count who received what, and the moments the sandbox accepted each sent message."""

from __future__ import annotations

import time
from typing import Any

from aiohttp import web

from bot.sandbox.limits import LimitConfig, RateLimiter
from bot.sandbox.server import SandboxServer


class RecordingLimiter(RateLimiter):
    """The sandbox's rate limiter, also noting when each message was let through."""

    def __init__(self, config: LimitConfig | None = None) -> None:
        super().__init__(config)
        self.accepted_at: list[float] = []

    def acquire(self, chat_id: int) -> int | None:
        refused = super().acquire(chat_id)
        if refused is None:
            self.accepted_at.append(time.monotonic())
        return refused


class BulkApi:
    def __init__(self, server: SandboxServer) -> None:
        self._server = server
        self.limiter = RecordingLimiter(server.limiter.config)
        server.limiter = server.botapi.limiter = self.limiter

    def routes(self) -> list[web.AbstractRouteDef]:
        return [
            web.post("/sandbox/bulk/users", self.add_users),
            web.get("/sandbox/bulk/received", self.received),
            web.get("/sandbox/bulk/sends", self.sends),
        ]

    async def add_users(self, request: web.Request) -> web.Response:
        body: dict[str, Any] = await request.json()
        first, count = int(body["first"]), int(body["count"])
        for user_id in range(first, first + count):
            self._server.state.add_user(user_id, f"Person {user_id}", started=True)
        return web.json_response({"added": count})

    async def received(self, request: web.Request) -> web.Response:
        """Per chat in the range: how many bot messages start with ``prefix``."""
        first, count = int(request.query["first"]), int(request.query["count"])
        prefix = request.query.get("prefix", "")
        counts = [
            sum(
                1
                for m in self._server.state.messages(chat)
                if m.from_bot and (m.text or "").startswith(prefix)
            )
            for chat in range(first, first + count)
        ]
        return web.json_response(
            {
                "received": sum(counts),
                "lost": sum(1 for c in counts if c == 0),
                "doubled": sum(1 for c in counts if c > 1),
            }
        )

    async def sends(self, request: web.Request) -> web.Response:
        """Messages accepted: in all, in the first second of the burst, in the busiest
        second (a sliding window), and over how long."""
        times = self.limiter.accepted_at
        if not times:
            return web.json_response({"count": 0, "first_second": 0, "busiest_second": 0})
        start = times[0]
        busiest, low = 0, 0
        for high, moment in enumerate(times):
            while moment - times[low] >= 1.0:
                low += 1
            busiest = max(busiest, high - low + 1)
        return web.json_response(
            {
                "count": len(times),
                "first_second": sum(1 for t in times if t - start < 1.0),
                "busiest_second": busiest,
                "span": times[-1] - start,
            }
        )
