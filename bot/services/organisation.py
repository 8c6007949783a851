"""Setting up the organisation: groups and their staff, contact persons, the duty rota.

Every function takes ``services, session`` and raises :class:`OrganisationError`
when the input is wrong; its ``key`` is a catalogue key for one line to show.
People and groups are named by display name (any case) or by ``#id``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Texts
from bot.services import routing
from bot.services.context import Services
from bot.timeutil import local_moment
from storage.models import Absence, DutyShift, Group, Person, Role
from storage.repos import organisation as org_repo
from storage.repos import rota as rota_repo

NAME_LENGTH = 120
PHONE_LENGTH = 40
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


class OrganisationError(Exception):
    """Wrong input: ``key`` names a one-line text in the catalogues, ``values`` fill it."""

    def __init__(self, key: str, /, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values

    def text(self, t: Texts) -> str:
        return t(self.key, **self.values)


# --- finding people and groups ------------------------------------------------------


def _ref_id(ref: str) -> int | None:
    match = re.fullmatch(r"#(\d{1,18})", ref)
    return int(match.group(1)) if match else None


async def find_person(session: AsyncSession, ref: str) -> Person:
    """The person named ``ref`` (case-insensitive) or ``#id``; ambiguity is an error."""
    ref = ref.strip()
    number = _ref_id(ref)
    if number is not None:
        person = await session.get(Person, number)
        if person is None:
            raise OrganisationError("org.unknown_person", ref=ref)
        return person
    found = await org_repo.persons_named(session, ref)
    if not found:
        raise OrganisationError("org.unknown_person", ref=ref)
    if len(found) > 1:
        ids = ", ".join(f"#{p.id}" for p in found)
        raise OrganisationError("org.ambiguous_person", name=ref, ids=ids)
    return found[0]


async def find_group(session: AsyncSession, ref: str) -> Group:
    ref = ref.strip()
    number = _ref_id(ref)
    group = (
        await session.get(Group, number)
        if number is not None
        else await org_repo.group_named(session, ref)
    )
    if group is None:
        raise OrganisationError("org.unknown_group", ref=ref)
    return group


def _require(person: Person, role: Role) -> Person:
    if person.role is not role:
        key = "org.not_support" if role is Role.SUPPORT else "org.not_coworker"
        raise OrganisationError(key, name=person.display_name)
    return person


async def _support(session: AsyncSession, ref: str) -> Person:
    return _require(await find_person(session, ref), Role.SUPPORT)


async def _coworker(session: AsyncSession, ref: str) -> Person:
    return _require(await find_person(session, ref), Role.COWORKER)


# --- groups ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupOverview:
    group: Group
    staff: list[Person]
    coworkers: list[Person]


async def create_group(
    services: Services, session: AsyncSession, name: str, phone: str | None = None
) -> Group:
    name = name.strip()
    phone = phone.strip() if phone else None
    if not name or len(name) > NAME_LENGTH or _ref_id(name) is not None:
        raise OrganisationError("org.bad_group_name")
    if phone is not None and len(phone) > PHONE_LENGTH:
        raise OrganisationError("org.bad_phone")
    if await org_repo.group_named(session, name) is not None:
        raise OrganisationError("org.group_exists", name=name)
    return await org_repo.add_group(session, name, phone or None, services.now())


async def list_groups(services: Services, session: AsyncSession) -> list[GroupOverview]:
    return [
        GroupOverview(
            group,
            await rota_repo.staff_of(session, group.id),
            await org_repo.coworkers_of(session, group.id),
        )
        for group in await org_repo.all_groups(session)
    ]


async def add_staff(
    services: Services, session: AsyncSession, group_ref: str, person_ref: str
) -> tuple[Group, Person]:
    group = await find_group(session, group_ref)
    person = await _support(session, person_ref)
    if await org_repo.is_staff(session, group.id, person.id):
        raise OrganisationError("org.already_staff", name=person.display_name, group=group.name)
    await org_repo.add_staff(session, group.id, person.id)
    return group, person


async def remove_staff(
    services: Services, session: AsyncSession, group_ref: str, person_ref: str
) -> tuple[Group, Person]:
    """Take a support person off a group's staff, unless they are still someone's contact."""
    group = await find_group(session, group_ref)
    person = await find_person(session, person_ref)
    if not await org_repo.is_staff(session, group.id, person.id):
        raise OrganisationError("org.not_staff", name=person.display_name, group=group.name)
    still = await org_repo.coworkers_with_contact(session, person.id, group.id)
    if still:
        raise OrganisationError(
            "org.still_contact",
            name=person.display_name,
            group=group.name,
            coworkers=", ".join(c.display_name for c in still),
        )
    await org_repo.remove_staff(session, group.id, person.id)
    return group, person


@dataclass(frozen=True)
class Moved:
    coworker: Person
    group: Group
    contacts_cleared: bool


async def move_coworker(
    services: Services, session: AsyncSession, coworker_ref: str, group_ref: str
) -> Moved:
    """Put a co-worker in a group; contact persons who do not work there are cleared."""
    coworker = await _coworker(session, coworker_ref)
    group = await find_group(session, group_ref)
    if coworker.group_id == group.id:
        raise OrganisationError(
            "org.already_in_group", name=coworker.display_name, group=group.name
        )
    coworker.group_id = group.id
    contacts = await org_repo.contacts_of(session, coworker.id)
    cleared = False
    if contacts is not None:
        staying = [
            await org_repo.is_staff(session, group.id, pid)
            for pid in (contacts.primary_id, contacts.secondary_id)
        ]
        if not all(staying):
            await org_repo.clear_contacts(session, coworker.id)
            cleared = True
    await session.flush()
    return Moved(coworker, group, cleared)


# --- contact persons --------------------------------------------------------------------


@dataclass(frozen=True)
class Contacts:
    coworker: Person
    primary: Person | None
    secondary: Person | None


async def set_contacts(
    services: Services,
    session: AsyncSession,
    coworker_ref: str,
    primary_ref: str,
    secondary_ref: str,
) -> Contacts:
    """Both must be support persons on the staff of the co-worker's group, and different."""
    coworker = await _coworker(session, coworker_ref)
    primary = await _support(session, primary_ref)
    secondary = await _support(session, secondary_ref)
    if primary.id == secondary.id:
        raise OrganisationError("org.same_person", name=primary.display_name)
    if coworker.group_id is None:
        raise OrganisationError("org.no_group", name=coworker.display_name)
    group = await session.get(Group, coworker.group_id)
    assert group is not None
    for person in (primary, secondary):
        if not await org_repo.is_staff(session, group.id, person.id):
            raise OrganisationError("org.not_staff", name=person.display_name, group=group.name)
    await org_repo.set_contacts(session, coworker.id, primary.id, secondary.id)
    return Contacts(coworker, primary, secondary)


async def show_contacts(services: Services, session: AsyncSession, coworker_ref: str) -> Contacts:
    coworker = await _coworker(session, coworker_ref)
    contacts = await org_repo.contacts_of(session, coworker.id)
    if contacts is None:
        return Contacts(coworker, None, None)
    primary = await session.get(Person, contacts.primary_id)
    secondary = await session.get(Person, contacts.secondary_id)
    return Contacts(coworker, primary, secondary)


# --- the rota -----------------------------------------------------------------------------


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
    person = await _support(session, person_ref)
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
    person = await _support(session, person_ref)
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


@dataclass(frozen=True)
class Duty:
    group: Group
    on_duty: list[Person]
    next_on_duty: datetime | None = None  # only worked out when nobody is on duty


async def on_duty_now(services: Services, session: AsyncSession, group_ref: str) -> Duty:
    """Who of the group's staff is on duty now; when nobody, when somebody next is."""
    group = await find_group(session, group_ref)
    staff = await rota_repo.staff_of(session, group.id)
    now = services.now()
    present = await routing.on_duty_among(services, session, staff, now)
    upcoming = None if present else await routing.next_on_duty_among(services, session, staff, now)
    return Duty(group, present, upcoming)


# --- everyone -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonRow:
    person: Person
    groups: list[Group] = field(default_factory=list)  # a co-worker's group, or staffed groups

    @property
    def joined(self) -> bool:
        return self.person.telegram_user_id is not None


async def list_people(services: Services, session: AsyncSession) -> list[PersonRow]:
    groups = {g.id: g for g in await org_repo.all_groups(session)}
    staffed: dict[int, list[Group]] = {}
    for link in await org_repo.staff_links(session):
        staffed.setdefault(link.person_id, []).append(groups[link.group_id])
    rows = []
    for person in await org_repo.all_persons(session):
        mine = list(staffed.get(person.id, []))
        if person.group_id is not None and groups[person.group_id] not in mine:
            mine.insert(0, groups[person.group_id])
        rows.append(PersonRow(person, sorted(mine, key=lambda g: g.name)))
    return rows
