"""The times a co-worker chooses: when the morning list comes, and when the evening gets
quiet (no reminders or evening messages until the morning)."""

from __future__ import annotations

import re
from datetime import time

EARLIEST_MORNING = time(5, 0)
LATEST_MORNING = time(12, 0)
COMMON_MORNINGS = (time(7, 0), time(7, 30), time(8, 0), time(8, 30), time(9, 0))
_CLOCK = re.compile(r"^\s*(?:kl\.?\s*)?(\d{1,2})(?:[:.](\d{2}))?\s*$", re.IGNORECASE)


def parse_morning_time(text: str) -> time | None:
    """ "7:30", "07.30", "kl 8" → a time between 05:00 and 12:00; anything else → None."""
    match = _CLOCK.match(text)
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        return None
    at = time(hour, minute)
    return at if EARLIEST_MORNING <= at <= LATEST_MORNING else None


def morning_from_minutes(minutes: int) -> time | None:
    if not 0 <= minutes < 24 * 60:
        return None
    at = time(minutes // 60, minutes % 60)
    return at if EARLIEST_MORNING <= at <= LATEST_MORNING else None


def minutes_of(at: time) -> int:
    return at.hour * 60 + at.minute


# In chat a co-worker chooses when the evening gets quiet, with one tap; the morning end
# stays before the earliest morning list. Staff can set any hours on the command line.
QUIET_STARTS = (time(18, 0), time(19, 0), time(20, 0), time(21, 0), time(22, 0))
QUIET_END = time(7, 0)


def quiet_start_from_minutes(minutes: int) -> time | None:
    if not 0 <= minutes < 24 * 60:
        return None
    at = time(minutes // 60, minutes % 60)
    return at if at in QUIET_STARTS else None
