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
