"""Who should hear from a co-worker now: the contact person on duty (the Umeå model).

The primary contact person if on duty, else the secondary, else another support
person of the co-worker's group who is on duty (lowest id), else nobody — and
then, when somebody comes on duty next.

The rules are pure functions over a :class:`Rota` (weekly local wall-clock shifts
plus absences in UTC) so they can be tested exhaustively; the ``async`` functions
at the bottom load rotas from the database and apply them.
"""

from __future__ import annotations

import enum
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.context import Services
from storage.models import Person, Role
from storage.repos import organisation as org_repo
from storage.repos import rota as rota_repo

HORIZON = timedelta(days=14)


# --- the pure rules -------------------------------------------------------------------


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


@cache
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("SE", years=year).keys())


class SwedishHolidays(Container[date]):
    """Swedish public holidays as the ``holidays`` package knows them (no "eves")."""

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and day in _public_holidays(day.year)


SWEDISH_HOLIDAYS = SwedishHolidays()


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


# --- the database layer ---------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    recipient: Person | None
    reason: Reason
    next_on_duty: datetime | None = None


def may_be_on_duty(person: Person) -> bool:
    return person.role is Role.SUPPORT and person.active


def may_be_chosen(person: Person) -> bool:
    return may_be_on_duty(person) and not person.unreachable


async def load_rotas(
    session: AsyncSession, person_ids: Iterable[int], start: datetime, end: datetime
) -> dict[int, Rota]:
    """Each person's shifts, and the absences that touch ``[start, end)``."""
    ids = sorted(set(person_ids))
    shifts = await rota_repo.shifts_of(session, ids)
    absences = await rota_repo.absences_of(session, ids, start, end)
    return {
        person_id: Rota(
            tuple(
                Shift(s.weekday, s.start_time, s.end_time)
                for s in shifts
                if s.person_id == person_id
            ),
            tuple((a.starts_at, a.ends_at) for a in absences if a.person_id == person_id),
        )
        for person_id in ids
    }


async def on_duty(services: Services, session: AsyncSession, person_id: int, at: datetime) -> bool:
    """Whether the person is an active support person on a shift at UTC moment ``at``."""
    person = await session.get(Person, person_id)
    if person is None or not may_be_on_duty(person):
        return False
    rotas = await load_rotas(session, [person_id], at, at + timedelta(seconds=1))
    return is_on_duty(rotas[person_id], at, services.zone, SWEDISH_HOLIDAYS)


async def on_duty_among(
    services: Services, session: AsyncSession, persons: Sequence[Person], at: datetime
) -> list[Person]:
    """Those of ``persons`` (active support persons only) on duty at ``at``, by id."""
    eligible = sorted((p for p in persons if may_be_on_duty(p)), key=lambda p: p.id)
    rotas = await load_rotas(session, [p.id for p in eligible], at, at + timedelta(seconds=1))
    return [p for p in eligible if is_on_duty(rotas[p.id], at, services.zone, SWEDISH_HOLIDAYS)]


async def next_on_duty_among(
    services: Services,
    session: AsyncSession,
    persons: Sequence[Person],
    at: datetime,
    horizon: timedelta = HORIZON,
) -> datetime | None:
    """When the first of ``persons`` (active and reachable) is on duty, within ``horizon``."""
    eligible = [p for p in persons if may_be_chosen(p)]
    rotas = await load_rotas(session, [p.id for p in eligible], at, at + horizon)
    nexts = [
        next_on_duty(rotas[p.id], at, services.zone, SWEDISH_HOLIDAYS, horizon) for p in eligible
    ]
    return min((n for n in nexts if n is not None), default=None)


async def route(services: Services, session: AsyncSession, coworker_id: int, at: datetime) -> Route:
    """Who should hear from the co-worker at ``at`` (see the module's docstring).

    When nobody is on duty, ``next_on_duty`` is the first moment within 14 days
    that any of them (contact persons or the group's staff) is.
    """
    coworker = await session.get(Person, coworker_id)
    if coworker is None:
        return Route(None, Reason.NOBODY)
    contacts = await org_repo.contacts_of(session, coworker_id)
    contact_ids = [contacts.primary_id, contacts.secondary_id] if contacts else []
    staff = await rota_repo.staff_of(session, coworker.group_id) if coworker.group_id else []
    people = {p.id: p for p in await rota_repo.persons(session, contact_ids)}
    people.update((p.id, p) for p in staff)
    chosen = {pid: p for pid, p in people.items() if may_be_chosen(p)}
    rotas = await load_rotas(session, chosen, at, at + HORIZON)

    def candidate(person_id: int | None) -> tuple[int, Rota] | None:
        return (person_id, rotas[person_id]) if person_id in chosen else None

    decision = decide(
        candidate(contacts.primary_id if contacts else None),
        candidate(contacts.secondary_id if contacts else None),
        [(p.id, rotas[p.id]) for p in staff if p.id in chosen and p.id not in contact_ids],
        at,
        services.zone,
        SWEDISH_HOLIDAYS,
    )
    recipient = chosen[decision.person_id] if decision.person_id is not None else None
    return Route(recipient, decision.reason, decision.next_on_duty)
