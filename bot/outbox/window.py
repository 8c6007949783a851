"""The outbox sends in flight at one moment: at most one per chat, and only as many as
the pace needs.

Telegram's round trip (50–100 ms from a real server) bounds a sender with one send in
flight to 10–20 messages a second. By Little's law, keeping up ``rate`` messages a
second takes ``rate × seconds per send`` of them in flight, so the window is that,
rounded up, and at most ``most``: against a quick Telegram it stays at one (a crash
then leaves at most one message sent but not recorded), against a slow one it grows
to what the pace needs and no further. A chat has at most one send in flight, so a
chat's messages keep their order.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Coroutine
from typing import Any

SMOOTHING = 0.2  # weight of the newest send in the moving average of a send's time


class SendWindow:
    def __init__(self, most: int) -> None:
        self.most = most
        self.seconds_per_send = 0.0  # moving average: claim, call, record
        self._sends: dict[int, asyncio.Task[int]] = {}  # chat id -> its send in flight
        self.accepted = 0
        self.peak = 0  # the most sends in flight at once so far

    def __contains__(self, chat_id: int) -> bool:
        return chat_id in self._sends

    @property
    def busy(self) -> bool:
        return bool(self._sends)

    def size(self, rate: float) -> int:
        return max(1, min(self.most, math.ceil(rate * self.seconds_per_send)))

    async def room(self, rate: float) -> None:
        """Wait until one more send may go."""
        while len(self._sends) >= self.size(rate):
            await self.one_done()

    async def one_done(self) -> None:
        if self._sends:
            await asyncio.wait(set(self._sends.values()), return_when=asyncio.FIRST_COMPLETED)

    def start(self, chat_id: int, send: Coroutine[Any, Any, int]) -> None:
        task = asyncio.create_task(self._timed(send))
        self._sends[chat_id] = task
        self.peak = max(self.peak, len(self._sends))
        task.add_done_callback(lambda _: self._sends.pop(chat_id, None))

    async def settle(self) -> None:
        """Wait for every send in flight (each ends within its time-out)."""
        while self._sends:
            await asyncio.wait(set(self._sends.values()))

    async def _timed(self, send: Coroutine[Any, Any, int]) -> int:
        started = time.monotonic()
        accepted = await send
        took = time.monotonic() - started
        self.seconds_per_send += SMOOTHING * (took - self.seconds_per_send)
        self.accepted += accepted
        return accepted
