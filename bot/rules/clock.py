"""The one clock every part of Vardag asks, so tests and the demo can move time."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class MovableClock:
    """Runs at real speed from a chosen start, and can be jumped forward.

    Time keeps flowing (so retries and back-offs behave as in production), but
    a test or the demo can set it to a moment or skip ahead.
    """

    def __init__(self, start: datetime) -> None:
        self._base = _as_utc(start)
        self._mono = time.monotonic()

    def now(self) -> datetime:
        return self._base + timedelta(seconds=time.monotonic() - self._mono)

    def set(self, moment: datetime) -> None:
        self._base = _as_utc(moment)
        self._mono = time.monotonic()

    def advance(self, delta: timedelta) -> None:
        self.set(self.now() + delta)


def _as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("the clock needs a timezone-aware datetime")
    return moment.astimezone(UTC)


class StoppedClock:
    """Always the one moment: for work done at a moment given (a sender's hook is told
    when the send was recorded)."""

    def __init__(self, moment: datetime) -> None:
        self._moment = moment

    def now(self) -> datetime:
        return self._moment
