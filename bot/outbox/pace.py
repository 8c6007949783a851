"""Telegram's overall pace, shared by the outbox's broadcast and people's own calls.

Telegram allows a bot about 30 messages a second overall (and about one a second to one
chat, with short bursts). One :class:`Pace` per bot token holds that budget as a token
bucket whose rate adapts to Telegram's answers: it starts at the ceiling, a 429 pauses
the broadcast for ``retry_after`` and cuts the rate, and each second without one brings
it back up. The bucket starts nearly empty and holds only a few tokens, so a burst
starts at the rate, not with a second's worth at once.

Who goes first: the outbox's sender waits for a token (:meth:`Pace.take`); a call made
for a person's own interaction (a press's answer, its edit of their list, a reply) takes
its token at once (:meth:`Pace.take_first`), in debt if need be, and the broadcast waits
that much longer. People's calls wait only when they alone are past the rate.

:class:`PacedLimiter` is python-telegram-bot's rate limiter on top of it: calls made
from the sender (marked with :data:`BROADCAST`) were paced by the sender and pass
straight through; the others are people's, counted and retried after a 429 as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from contextvars import ContextVar
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter

log = logging.getLogger(__name__)

TELEGRAM_RATE = 30.0  # messages a second, per bot token
BURST = 2.0  # tokens the bucket holds: a short burst, never a second's worth
FIRST_TOKENS = 0.0  # what it holds at the start: the first second carries the rate
BACK_OFF = 0.7  # a 429 cuts the rate to this share
CREEP_PER_SECOND = 1.0  # each second without a 429 adds this much to the rate
FLOOR = 1.0  # the rate never goes below this
# Set (in the sender's own tasks) around a broadcast send: paced by the sender already.
BROADCAST: ContextVar[bool] = ContextVar("vardag_broadcast", default=False)

Clock = Callable[[], float]


class Pace:
    """An adaptive token bucket for one bot token (see the module's docstring)."""

    def __init__(
        self,
        ceiling: float = TELEGRAM_RATE,
        *,
        burst: float = BURST,
        first_tokens: float = FIRST_TOKENS,
        adapt: bool = True,
        clock: Clock = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.ceiling = ceiling
        self.rate = ceiling
        self.refusals = 0  # 429s seen, for the benchmark and the log
        self._burst = burst
        self._adapt = adapt  # False: a fixed budget (the benchmark's "before")
        self._clock = clock
        self._sleep = sleep
        self._tokens = first_tokens
        self._stamp = clock()
        self._paused_until = 0.0

    def _refill(self) -> float:
        now = self._clock()
        elapsed = max(0.0, now - self._stamp)
        self._stamp = now
        if now >= self._paused_until:
            self.rate = min(self.ceiling, self.rate + CREEP_PER_SECOND * elapsed)
            self._tokens = min(self._burst, self._tokens + elapsed * self.rate)
        return now

    def _wait(self, floor: float) -> float:
        """Seconds until the bucket holds more than ``floor`` tokens (0: now)."""
        now = self._refill()
        if now < self._paused_until:
            return self._paused_until - now
        if self._tokens >= floor + 1.0 - 1e-9:  # (rounding: a whole token is whole)
            return 0.0
        return (floor + 1.0 - self._tokens) / self.rate

    async def take(self) -> None:
        """The broadcast's turn: wait for a whole token (after any pause), then take it."""
        await self._until_above(0.0)

    async def take_first(self) -> None:
        """A person's own call: take a token now, in debt up to a second's worth (the
        broadcast pays it back); wait only beyond that, or during a 429's pause."""
        await self._until_above(-self.rate)

    async def _until_above(self, floor: float) -> None:
        wait = self._wait(floor)
        while wait > 0:  # a token bucket: the wait is known, nothing to be woken by
            await self._sleep(wait)
            wait = self._wait(floor)
        self._tokens -= 1.0

    def refused(self, retry_after: float) -> None:
        """Telegram answered 429: pause every send for ``retry_after``, then go on slower
        and creep back up."""
        now = self._refill()
        self.refusals += 1
        self._paused_until = max(self._paused_until, now + retry_after)
        if self._adapt:
            self.rate = max(FLOOR, min(self.rate, self.ceiling) * BACK_OFF)
        self._tokens = min(self._tokens, 0.0)
        log.info("Telegram asked to slow down: %.1f s pause, then %.1f/s", retry_after, self.rate)


def retry_seconds(error: RetryAfter) -> float:
    wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


# Calls that Telegram counts against the 30 a second: those that send or edit a message
# (they carry a chat_id); answerCallbackQuery and reading calls do not count.
def counted(data: dict[str, Any]) -> bool:
    return data.get("chat_id") is not None


class PacedLimiter(AIORateLimiter):
    """python-telegram-bot's limiter over a :class:`Pace`: keeps AIORateLimiter's limit
    for groups (20 a minute each), replaces its overall limit by the shared pace."""

    def __init__(self, pace: Pace, max_retries: int) -> None:
        super().__init__(overall_max_rate=0, max_retries=max_retries)
        self.pace = pace
        self.retries = max_retries

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        broadcast = BROADCAST.get()
        retries = 0 if broadcast else (rate_limit_args or self.retries)
        for attempt in range(retries + 1):
            if counted(data) and not broadcast:
                await self.pace.take_first()
            try:
                return await self._run_request(
                    chat=False,  # no overall limiter of AIORateLimiter's own: the pace is it
                    group=group_of(data),
                    allow_paid_broadcast=bool(data.get("allow_paid_broadcast", False)),
                    callback=callback,
                    args=args,
                    kwargs=kwargs,
                )
            except RetryAfter as error:
                if broadcast:
                    raise  # the sender tells the pace and puts the row back itself
                self.pace.refused(retry_seconds(error))
                if attempt == retries:
                    raise
                await asyncio.sleep(retry_seconds(error) + 0.1)
        raise AssertionError("unreachable")


def group_of(data: dict[str, Any]) -> int | str | bool:
    """A group's or channel's chat id (AIORateLimiter's per-group limit), else False."""
    chat_id = data.get("chat_id")
    with contextlib.suppress(ValueError, TypeError):
        chat_id = int(chat_id)  # type: ignore[arg-type]
    if (isinstance(chat_id, int) and chat_id < 0) or isinstance(chat_id, str):
        return chat_id
    return False
