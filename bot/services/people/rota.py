"""The duty rota: weekly shifts, absences, and who is on duty now."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.rules.duty import Duty
from bot.rules.localtime import local_moment
from bot.services.errors import OrganisationError
from bot.services.messages import routing
from bot.services.people.organisation import find_group, find_person, find_support
from storage.models import Absence, DutyShift, Person
from storage.repos import rota as rota_repo

REASON_LENGTH = 40

WEEKDAYS = {
    name: number
    for number, names in enumerate(
        (
            ("mon", "monday", "mån", "måndag"),
            ("tue", "tuesday", "tis", "tisdag"),
            ("wed", "wednesday", "ons", "onsdag"),
            ("thu", "thursday", "tor", "torsdag"),
            ("fri", "friday", "fre", "fredag"),
            ("sat", "saturday", "lör", "lördag"),
            ("sun", "sunday", "sön", "söndag"),
        )
    )
    for name in names
}


def parse_days(text: str) -> list[int]:
    """``mon-fri``, ``mon,wed,fri``, ``sat-sun``, ``fri-mon`` (wraps), Swedish names too."""
    days: list[int] = []
    for part in text.lower().replace(" ", "").split(","):
        first, dash, last = part.partition("-")
        if first not in WEEKDAYS or (dash and last not in WEEKDAYS):
            raise OrganisationError("org.bad_days", days=text)
        start = WEEKDAYS[first]
        stop = WEEKDAYS[last] if last else start
        span = (stop - start) % 7
        days.extend((start + step) % 7 for step in range(span + 1))
    return sorted(set(days))


def parse_clock(text: str) -> time:
    match = re.fullmatch(r"([01]?\d|2[0-3])[:.]([0-5]\d)", text.strip())
    if not match:
        raise OrganisationError("org.bad_time", time=text)
    return time(int(match.group(1)), int(match.group(2)))


def parse_moment(text: str, services: Services, *, end: bool = False) -> datetime:
    """A local date or date and time as a UTC moment. A bare date is that day's start,
    or with ``end=True`` the end of that day (the next day's start), so ``--to`` is inclusive.
    """
    text = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            day = date.fromisoformat(text)
            return local_moment(day + timedelta(days=1) if end else day, time(0), services.zone)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise OrganisationError("org.bad_moment", text=text) from None
    if moment.tzinfo is not None:
        return moment.astimezone(UTC)
    return local_moment(moment.date(), moment.time(), services.zone)


def _hours(start: time, end: time) -> str:
    return f"{start:%H:%M}–{end:%H:%M}"


def _check_shifts(shifts: Sequence[tuple[int, time, time]]) -> None:
    for weekday, start, end in shifts:
        if not 0 <= weekday <= 6:
            raise OrganisationError("org.bad_days", days=str(weekday))
        if not start < end:
            raise OrganisationError("org.bad_hours", hours=_hours(start, end))
    ordered = sorted(shifts)
    for (day_a, start_a, end_a), (day_b, start_b, end_b) in itertools.pairwise(ordered):
        if day_a == day_b and start_b < end_a:
            raise OrganisationError(
                "org.overlapping_shifts",
                first=_hours(start_a, end_a),
                second=_hours(start_b, end_b),
            )


async def set_shifts(
    services: Services,
    session: AsyncSession,
    person_ref: str,
    shifts: Sequence[tuple[int, time, time]],
    *,
    add: bool = False,
) -> tuple[Person, list[DutyShift]]:
    """Replace a support person's weekly shifts (or, with ``add``, add to them)."""
    person = await find_support(session, person_ref)
    if not shifts:
        raise OrganisationError("org.bad_days", days="")
    existing = await rota_repo.shifts_of(session, [person.id]) if add else []
    _check_shifts([(s.weekday, s.start_time, s.end_time) for s in existing] + list(shifts))
    rows = [
        DutyShift(person_id=person.id, weekday=weekday, start_time=start, end_time=end)
        for weekday, start, end in shifts
    ]
    if add:
        await rota_repo.add_shifts(session, rows)
    else:
        await rota_repo.replace_shifts(session, person.id, rows)
    return person, await rota_repo.shifts_of(session, [person.id])


async def list_shifts(
    services: Services, session: AsyncSession, person_ref: str
) -> tuple[Person, list[DutyShift]]:
    person = await find_person(session, person_ref)
    return person, await rota_repo.shifts_of(session, [person.id])


async def add_absence(
    services: Services,
    session: AsyncSession,
    person_ref: str,
    starts_at: datetime | None,
    ends_at: datetime,
    reason: str | None = None,
) -> Absence:
    """Record an absence ``[starts_at, ends_at)`` (UTC; ``None`` start means now)."""
    person = await find_support(session, person_ref)
    start = starts_at or services.now()
    if not start < ends_at:
        raise OrganisationError("org.bad_period")
    reason = reason.strip() if reason else None
    if reason and len(reason) > REASON_LENGTH:
        raise OrganisationError("org.bad_reason", length=REASON_LENGTH)
    absence = Absence(person_id=person.id, starts_at=start, ends_at=ends_at, reason=reason or None)
    return await rota_repo.add_absence(session, absence)


async def end_absence(
    services: Services, session: AsyncSession, person_ref: str
) -> tuple[Person, int]:
    """The person is back now: every absence covering now ends now."""
    person = await find_person(session, person_ref)
    ended = await rota_repo.end_absences(session, person.id, services.now())
    if not ended:
        raise OrganisationError("org.not_away", name=person.display_name)
    return person, ended


async def list_absences(
    services: Services, session: AsyncSession, person_ref: str
) -> tuple[Person, list[Absence]]:
    """The person's current and coming absences."""
    person = await find_person(session, person_ref)
    return person, await rota_repo.absences_from(session, person.id, services.now())


async def on_duty_now(services: Services, session: AsyncSession, group_ref: str) -> Duty:
    """Who of the group's staff is on duty now; when nobody, when somebody next is."""
    group = await find_group(session, group_ref)
    staff = await rota_repo.staff_of(session, group.id)
    now = services.now()
    present = await routing.on_duty_among(services, session, staff, now)
    upcoming = None if present else await routing.next_on_duty_among(services, session, staff, now)
    return Duty(group, present, upcoming)
