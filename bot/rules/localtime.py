"""Wall-clock time in the organisation's zone, turned into UTC moments (DST-safe)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo


def local_moment(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC moment of wall-clock ``at`` on ``day`` in ``zone``.

    A time that does not exist (skipped by the spring DST change) comes out as
    the same distance past the change, so it is never lost.
    """
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def local_date(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def local_minute(moment: datetime, zone: ZoneInfo) -> str:
    """``moment`` as the wall clock in ``zone`` shows it, to the minute: "2026-11-24 06:00"."""
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def within(at: time, start: time, end: time) -> bool:
    """Whether wall-clock ``at`` is in ``[start, end)``; the span may pass midnight
    (20:00-07:00); equal ends mean an empty span."""
    if start == end:
        return False
    if start < end:
        return start <= at < end
    return at >= start or at < end


def in_quiet_hours(quiet_start: time, quiet_end: time, moment: datetime, zone: ZoneInfo) -> bool:
    """Whether UTC ``moment`` falls in a person's quiet hours (local wall-clock)."""
    return within(moment.astimezone(zone).time().replace(tzinfo=None), quiet_start, quiet_end)
