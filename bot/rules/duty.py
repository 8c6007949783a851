"""The duty rota's rules: who is on a shift when, when a shift ends, when somebody next
comes on duty, and whom a co-worker's message goes to (the Umeå model).

Pure functions over a :class:`Rota` (weekly local wall-clock shifts plus absences in
UTC), so they can be tested exhaustively; :mod:`bot.services.messages.routing` loads
rotas from the database and applies them.
"""

from __future__ import annotations

import enum
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from storage.models import Group, Person

HORIZON = timedelta(days=14)


@dataclass(frozen=True)
class Shift:
    """A weekly block of duty: weekday (0 = Monday), local wall-clock ``[start, end)``."""

    weekday: int
    start: time
    end: time


@dataclass(frozen=True)
class Rota:
    shifts: tuple[Shift, ...] = ()
    absences: tuple[tuple[datetime, datetime], ...] = ()  # UTC [starts_at, ends_at)


def is_on_duty(rota: Rota, at: datetime, zone: ZoneInfo, days_off: Container[date]) -> bool:
    """On a shift at UTC moment ``at``: local weekday and time inside a shift, not on a
    public holiday, and not absent (``starts_at <= at < ends_at``)."""
    local = at.astimezone(zone)
    day, clock = local.date(), local.time().replace(tzinfo=None)
    in_shift = any(
        shift.weekday == day.weekday() and shift.start <= clock < shift.end for shift in rota.shifts
    )
    if not in_shift or day in days_off:
        return False
    return not any(start <= at < end for start, end in rota.absences)


def shift_end(
    rota: Rota, at: datetime, zone: ZoneInfo, days_off: Container[date]
) -> datetime | None:
    """When the shift the rota is on at ``at`` ends (UTC), or None when not on duty then."""
    if not is_on_duty(rota, at, zone, days_off):
        return None
    local = at.astimezone(zone)
    day, clock = local.date(), local.time().replace(tzinfo=None)
    ends = [
        datetime.combine(day, shift.end, tzinfo=zone).astimezone(UTC)
        for shift in rota.shifts
        if shift.weekday == day.weekday() and shift.start <= clock < shift.end
    ]
    return max(ends)


def _transitions(start: datetime, end: datetime, zone: ZoneInfo) -> Iterable[datetime]:
    """The UTC moments in ``[start, end]`` where the zone's UTC offset changes."""
    hour = start.replace(minute=0, second=0, microsecond=0)
    previous = hour.astimezone(zone).utcoffset()
    while hour <= end + timedelta(hours=1):
        offset = hour.astimezone(zone).utcoffset()
        if offset != previous:
            # Offsets change on whole UTC hours in every zone Vardag is used in.
            yield hour
        previous = offset
        hour += timedelta(hours=1)


def next_on_duty(
    rota: Rota,
    at: datetime,
    zone: ZoneInfo,
    days_off: Container[date],
    horizon: timedelta = HORIZON,
) -> datetime | None:
    """The earliest moment in ``[at, at + horizon)`` the rota is on duty, or None.

    Being on duty can only begin at ``at`` itself, at a shift's start (either
    reading of an ambiguous wall-clock time), at the end of an absence, or where
    the clock jumps (a shift whose start the spring change skips begins then).
    """
    end = at + horizon
    first_day = at.astimezone(zone).date() - timedelta(days=1)
    last_day = end.astimezone(zone).date() + timedelta(days=1)
    candidates: set[datetime] = {at}
    candidates.update(e for _, e in rota.absences)
    candidates.update(_transitions(at, end, zone))
    day = first_day
    while day <= last_day:
        for shift in rota.shifts:
            if shift.weekday == day.weekday():
                for fold in (0, 1):
                    wall = datetime.combine(day, shift.start, tzinfo=zone).replace(fold=fold)
                    candidates.add(wall.astimezone(UTC))
        day += timedelta(days=1)
    for moment in sorted(c for c in candidates if at <= c < end):
        if is_on_duty(rota, moment, zone, days_off):
            return moment
    return None


class Reason(enum.StrEnum):
    PRIMARY = "primary"
    SECONDARY = "secondary"
    GROUP_STAFF = "group_staff"
    NOBODY = "nobody"


@dataclass(frozen=True)
class Decision:
    person_id: int | None
    reason: Reason
    next_on_duty: datetime | None = None


def decide(
    primary: tuple[int, Rota] | None,
    secondary: tuple[int, Rota] | None,
    staff: Sequence[tuple[int, Rota]],
    at: datetime,
    zone: ZoneInfo,
    days_off: Container[date],
    horizon: timedelta = HORIZON,
) -> Decision:
    """The routing rule over people who may be chosen (active, reachable support staff)."""
    for candidate, reason in ((primary, Reason.PRIMARY), (secondary, Reason.SECONDARY)):
        if candidate is not None and is_on_duty(candidate[1], at, zone, days_off):
            return Decision(candidate[0], reason)
    for person_id, rota in sorted(staff, key=lambda pair: pair[0]):
        if is_on_duty(rota, at, zone, days_off):
            return Decision(person_id, Reason.GROUP_STAFF)
    everyone = [c for c in (primary, secondary) if c is not None] + list(staff)
    nexts = [next_on_duty(rota, at, zone, days_off, horizon) for _, rota in everyone]
    return Decision(None, Reason.NOBODY, min((n for n in nexts if n is not None), default=None))


@dataclass(frozen=True)
class Duty:
    """Who of a group's staff is on duty now."""

    group: Group
    on_duty: list[Person]
    next_on_duty: datetime | None = None  # only worked out when nobody is on duty
