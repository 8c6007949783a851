"""Organisation services: groups and staff, contact persons, the rota, who is on duty."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.i18n import LANGUAGES, Texts
from bot.rules.clock import MovableClock
from bot.rules.localtime import local_moment
from bot.services.errors import OrganisationError
from bot.services.people import everyone, rota
from bot.services.people import organisation as org
from bot.services.people.contacts import set_contacts, show_contacts
from storage.models import Absence, ContactPersons, Person, Role
from storage.repos import people
from storage.repos.organisation import persons_named
from tests.unit.test_catalogues import catalogue

T = TypeVar("T")
ROOT = Path(__file__).resolve().parents[2]
MINE = (
    "bot/services/people/organisation.py",
    "bot/services/people/everyone.py",
    "bot/services/people/contacts.py",
    "bot/services/people/rota.py",
    "bot/services/messages/routing.py",
    "bot/cli/groups.py",
    "bot/cli/contacts.py",
    "bot/cli/rota.py",
    "bot/cli/people.py",
)
WEEKDAYS = [(day, time(7), time(16)) for day in range(5)]


class Frozen:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment


async def do(services: Services, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    async with services.sessions.begin() as session:
        return await work(session)


async def refused(services: Services, work: Callable[[AsyncSession], Awaitable[object]]) -> str:
    """The error's key, after checking it reads as one line in both languages."""
    with pytest.raises(OrganisationError) as caught:
        await do(services, work)
    for language in LANGUAGES:
        text = caught.value.text(Texts(language))
        assert text != caught.value.key and "\n" not in text and "{" not in text
    return caught.value.key


async def person(services: Services, name: str, role: Role = Role.SUPPORT) -> Person:
    return await do(
        services,
        lambda s: people.add_person(s, name=name, role=role, now=services.now()),
    )


async def rutt1(services: Services) -> dict[str, Person]:
    """Rutt 1 with Anna and Bo on its staff, Kim and Lo as co-workers; Cilla outside it."""
    found = {
        name: await person(services, name, role)
        for name, role in (
            ("Anna", Role.SUPPORT),
            ("Bo", Role.SUPPORT),
            ("Cilla", Role.SUPPORT),
            ("Kim", Role.COWORKER),
            ("Lo", Role.COWORKER),
        )
    }
    await do(services, lambda s: org.create_group(services, s, "Rutt 1", "090-12 34 56"))
    for name in ("Anna", "Bo"):
        await do(services, lambda s, n=name: org.add_staff(services, s, "rutt 1", n))
    for name in ("Kim", "Lo"):
        await do(services, lambda s, n=name: org.move_coworker(services, s, n, "Rutt 1"))
    return found


def test_every_key_the_organisation_code_uses_is_in_both_catalogues() -> None:
    keys = {
        key
        for path in MINE
        for key in re.findall(r'"((?:org|routing)\.[a-z_.]+)"', (ROOT / path).read_text())
    }
    assert len(keys) > 40
    for language in LANGUAGES:
        assert keys - set(catalogue(language)) == set(), language


async def test_people_are_found_by_name_in_any_case_or_by_id(services: Services) -> None:
    asa = await person(services, "Åsa Öberg")
    for ref in ("Åsa Öberg", "åsa öberg", "  ÅSA ÖBERG ", f"#{asa.id}"):
        found = await do(services, lambda s, r=ref: org.find_person(s, r))
        assert found.id == asa.id
    assert await refused(services, lambda s: org.find_person(s, "Nobody")) == "org.unknown_person"
    assert await refused(services, lambda s: org.find_person(s, "#999")) == "org.unknown_person"
    other = await person(services, "åsa öberg", Role.COWORKER)
    with pytest.raises(OrganisationError) as caught:
        await do(services, lambda s: org.find_person(s, "Åsa Öberg"))
    assert caught.value.key == "org.ambiguous_person"
    assert caught.value.values["ids"] == f"#{asa.id}, #{other.id}"


async def test_groups_staff_and_coworkers(services: Services) -> None:
    found = await rutt1(services)
    views = await do(services, lambda s: org.list_groups(services, s))
    assert [(v.group.name, v.group.phone) for v in views] == [("Rutt 1", "090-12 34 56")]
    assert [p.display_name for p in views[0].staff] == ["Anna", "Bo"]
    assert [p.display_name for p in views[0].coworkers] == ["Kim", "Lo"]

    def key(work: Callable[[AsyncSession], Awaitable[object]]) -> Awaitable[str]:
        return refused(services, work)

    assert await key(lambda s: org.create_group(services, s, "RUTT 1")) == "org.group_exists"
    assert await key(lambda s: org.create_group(services, s, "  ")) == "org.bad_group_name"
    assert await key(lambda s: org.create_group(services, s, "x" * 121)) == "org.bad_group_name"
    assert await key(lambda s: org.create_group(services, s, "R2", "1" * 41)) == "org.bad_phone"
    assert await key(lambda s: org.add_staff(services, s, "Rutt 9", "Anna")) == "org.unknown_group"
    assert await key(lambda s: org.add_staff(services, s, "Rutt 1", "Kim")) == "org.not_support"
    assert await key(lambda s: org.add_staff(services, s, "Rutt 1", "anna")) == "org.already_staff"
    assert await key(lambda s: org.remove_staff(services, s, "Rutt 1", "Cilla")) == "org.not_staff"
    assert await key(lambda s: org.move_coworker(services, s, "Anna", "Rutt 1")) == (
        "org.not_coworker"
    )
    assert await key(lambda s: org.move_coworker(services, s, "Kim", "Rutt 1")) == (
        "org.already_in_group"
    )
    group, removed = await do(services, lambda s: org.remove_staff(services, s, "#1", "Bo"))
    assert (group.name, removed.id) == ("Rutt 1", found["Bo"].id)


async def test_contact_persons(services: Services) -> None:
    found = await rutt1(services)

    def key(work: Callable[[AsyncSession], Awaitable[object]]) -> Awaitable[str]:
        return refused(services, work)

    shown = await do(services, lambda s: show_contacts(services, s, "Kim"))
    assert (shown.primary, shown.secondary) == (None, None)
    contacts = await do(services, lambda s: set_contacts(services, s, "Kim", "Anna", "Bo"))
    assert contacts.primary is not None and contacts.secondary is not None
    assert (contacts.primary.id, contacts.secondary.id) == (found["Anna"].id, found["Bo"].id)
    swapped = await do(services, lambda s: set_contacts(services, s, "kim", "Bo", "Anna"))
    assert swapped.primary is not None and swapped.primary.display_name == "Bo"
    shown = await do(services, lambda s: show_contacts(services, s, "Kim"))
    assert shown.primary is not None and shown.primary.display_name == "Bo"
    assert shown.secondary is not None and shown.secondary.display_name == "Anna"

    assert await key(lambda s: set_contacts(services, s, "Kim", "Anna", "anna")) == (
        "org.same_person"
    )
    assert await key(lambda s: set_contacts(services, s, "Kim", "Anna", "Cilla")) == (
        "org.not_staff"
    )
    assert await key(lambda s: set_contacts(services, s, "Kim", "Anna", "Lo")) == (
        "org.not_support"
    )
    assert await key(lambda s: set_contacts(services, s, "Anna", "Bo", "Cilla")) == (
        "org.not_coworker"
    )
    await person(services, "Mo", Role.COWORKER)
    assert await key(lambda s: set_contacts(services, s, "Mo", "Anna", "Bo")) == "org.no_group"
    # Anna cannot leave the staff while she is Kim's contact person.
    assert await key(lambda s: org.remove_staff(services, s, "Rutt 1", "Anna")) == (
        "org.still_contact"
    )


async def test_moving_a_coworker_clears_contacts_who_do_not_work_there(
    services: Services,
) -> None:
    await rutt1(services)
    await do(services, lambda s: set_contacts(services, s, "Kim", "Anna", "Bo"))
    await do(services, lambda s: org.create_group(services, s, "Rutt 2"))
    await do(services, lambda s: org.add_staff(services, s, "Rutt 2", "Anna"))
    await do(services, lambda s: org.add_staff(services, s, "Rutt 2", "Bo"))
    both_there = await do(services, lambda s: org.move_coworker(services, s, "Kim", "Rutt 2"))
    assert not both_there.contacts_cleared
    await do(services, lambda s: org.create_group(services, s, "Rutt 3"))
    moved = await do(services, lambda s: org.move_coworker(services, s, "Kim", "Rutt 3"))
    assert moved.contacts_cleared and moved.group.name == "Rutt 3"
    async with services.sessions() as session:
        assert list(await session.scalars(select(ContactPersons))) == []


def test_days_times_and_moments_are_parsed() -> None:
    assert rota.parse_days("mon-fri") == [0, 1, 2, 3, 4]
    assert rota.parse_days("mon,wed,fri") == [0, 2, 4]
    assert rota.parse_days("Sat-Sun") == [5, 6]
    assert rota.parse_days("fri-mon") == [0, 4, 5, 6]
    assert rota.parse_days("mån-fre, sön") == [0, 1, 2, 3, 4, 6]
    for bad in ("", "mon-", "monday-frid", "x", "mon,,fri"):
        with pytest.raises(OrganisationError):
            rota.parse_days(bad)
    assert rota.parse_clock("07:00") == time(7)
    assert rota.parse_clock("7.30") == time(7, 30)
    for bad in ("24:00", "7", "07:60", "seven"):
        with pytest.raises(OrganisationError):
            rota.parse_clock(bad)


async def test_moments_are_local_and_a_last_day_is_inclusive(services: Services) -> None:
    assert rota.parse_moment("2026-12-01", services) == datetime(2026, 11, 30, 23, tzinfo=UTC)
    assert rota.parse_moment("2026-12-05", services, end=True) == datetime(
        2026, 12, 5, 23, tzinfo=UTC
    )
    assert rota.parse_moment("2026-07-01 08:00", services) == datetime(2026, 7, 1, 6, tzinfo=UTC)
    assert rota.parse_moment("2026-07-01T08:00+00:00", services) == datetime(
        2026, 7, 1, 8, tzinfo=UTC
    )
    # The last day of an absence over the autumn change ends at local midnight.
    assert rota.parse_moment("2026-10-25", services, end=True) == datetime(
        2026, 10, 25, 23, tzinfo=UTC
    )
    for bad in ("2026-13-01", "tomorrow", "2026-02-30"):
        with pytest.raises(OrganisationError):
            rota.parse_moment(bad, services)


async def test_shifts_replace_add_and_refuse_overlaps(services: Services) -> None:
    await rutt1(services)

    def key(work: Callable[[AsyncSession], Awaitable[object]]) -> Awaitable[str]:
        return refused(services, work)

    anna, shifts = await do(services, lambda s: rota.set_shifts(services, s, "Anna", WEEKDAYS))
    assert [(x.weekday, x.start_time, x.end_time) for x in shifts] == WEEKDAYS
    evening = [(day, time(18), time(21)) for day in (5, 6)]
    _, shifts = await do(
        services, lambda s: rota.set_shifts(services, s, "Anna", evening, add=True)
    )
    assert len(shifts) == 7
    _, shifts = await do(services, lambda s: rota.set_shifts(services, s, "Anna", evening))
    assert [(x.weekday, x.start_time) for x in shifts] == [(5, time(18)), (6, time(18))]
    _, listed = await do(services, lambda s: rota.list_shifts(services, s, f"#{anna.id}"))
    assert len(listed) == 2

    overlap = [(5, time(20), time(22))]
    assert await key(lambda s: rota.set_shifts(services, s, "Anna", overlap, add=True)) == (
        "org.overlapping_shifts"
    )
    twice = [(0, time(7), time(12)), (0, time(11), time(16))]
    assert await key(lambda s: rota.set_shifts(services, s, "Anna", twice)) == (
        "org.overlapping_shifts"
    )
    backwards = [(0, time(16), time(7))]
    assert await key(lambda s: rota.set_shifts(services, s, "Anna", backwards)) == "org.bad_hours"
    assert await key(lambda s: rota.set_shifts(services, s, "Anna", [])) == "org.bad_days"
    assert await key(lambda s: rota.set_shifts(services, s, "Kim", WEEKDAYS)) == "org.not_support"
    # Back to back is fine; nothing above was saved.
    _, listed = await do(services, lambda s: rota.list_shifts(services, s, "Anna"))
    assert len(listed) == 2
    adjoining = [(0, time(7), time(12)), (0, time(12), time(16))]
    _, shifts = await do(services, lambda s: rota.set_shifts(services, s, "Anna", adjoining))
    assert len(shifts) == 2


async def test_away_and_back(services: Services, clock: MovableClock) -> None:
    found = await rutt1(services)
    await do(services, lambda s: rota.set_shifts(services, s, "Anna", WEEKDAYS))
    await do(services, lambda s: rota.set_shifts(services, s, "Bo", WEEKDAYS))
    tuesday = date(2026, 11, 24)
    clock.set(local_moment(tuesday, time(9), services.zone))
    duty = await do(services, lambda s: rota.on_duty_now(services, s, "Rutt 1"))
    assert [p.display_name for p in duty.on_duty] == ["Anna", "Bo"]

    start = rota.parse_moment("2026-11-24", services)
    end = rota.parse_moment("2026-11-26", services, end=True)
    absence = await do(
        services, lambda s: rota.add_absence(services, s, "Anna", start, end, " sick ")
    )
    assert absence.reason == "sick"
    later = await do(
        services, lambda s: rota.add_absence(services, s, "Anna", end, end + timedelta(1))
    )
    _, listed = await do(services, lambda s: rota.list_absences(services, s, "Anna"))
    assert [a.id for a in listed] == [absence.id, later.id]
    duty = await do(services, lambda s: rota.on_duty_now(services, s, "Rutt 1"))
    assert [p.display_name for p in duty.on_duty] == ["Bo"]

    clock.advance(timedelta(hours=2))
    _, ended = await do(services, lambda s: rota.end_absence(services, s, "Anna"))
    assert ended == 1
    async with services.sessions() as session:
        stored = await session.get(Absence, absence.id)
        assert stored is not None
        assert timedelta(0) <= clock.now() - stored.ends_at < timedelta(seconds=5)
    duty = await do(services, lambda s: rota.on_duty_now(services, s, "Rutt 1"))
    assert [p.display_name for p in duty.on_duty] == ["Anna", "Bo"]
    assert (
        await refused(services, lambda s: rota.end_absence(services, s, "Anna")) == "org.not_away"
    )

    # An absence that starts this very moment is removed, not made empty.
    now = clock.now()
    frozen = Services(services.settings, Frozen(now), services.sessions)
    await do(frozen, lambda s: rota.add_absence(frozen, s, "Bo", None, now + timedelta(hours=1)))
    await do(frozen, lambda s: rota.end_absence(frozen, s, "Bo"))
    async with services.sessions() as session:
        rows = list(
            await session.scalars(select(Absence).where(Absence.person_id == found["Bo"].id))
        )
    assert rows == []

    def key(work: Callable[[AsyncSession], Awaitable[object]]) -> Awaitable[str]:
        return refused(services, work)

    assert (
        await key(lambda s: rota.add_absence(services, s, "Anna", end, start)) == "org.bad_period"
    )
    assert await key(lambda s: rota.add_absence(services, s, "Anna", None, now)) == "org.bad_period"
    assert await key(lambda s: rota.add_absence(services, s, "Kim", None, end)) == "org.not_support"
    assert await key(lambda s: rota.add_absence(services, s, "Anna", None, end, "x" * 41)) == (
        "org.bad_reason"
    )


async def test_nobody_on_duty_says_when_somebody_is(
    services: Services, clock: MovableClock
) -> None:
    await rutt1(services)
    await do(services, lambda s: rota.set_shifts(services, s, "Anna", WEEKDAYS))
    # Christmas Day is a Friday and a public holiday: nobody until Monday 07:00.
    clock.set(local_moment(date(2026, 12, 25), time(10), services.zone))
    duty = await do(services, lambda s: rota.on_duty_now(services, s, "Rutt 1"))
    assert duty.on_duty == []
    assert duty.next_on_duty == local_moment(date(2026, 12, 28), time(7), services.zone)
    # Nobody at all with shifts in the other group.
    await do(services, lambda s: org.create_group(services, s, "Rutt 2"))
    empty = await do(services, lambda s: rota.on_duty_now(services, s, "Rutt 2"))
    assert (empty.on_duty, empty.next_on_duty) == ([], None)


async def test_everyone_is_listed_with_their_groups(services: Services) -> None:
    await rutt1(services)
    await do(services, lambda s: org.create_group(services, s, "A-gruppen"))
    await do(services, lambda s: org.add_staff(services, s, "A-gruppen", "Anna"))
    async with services.sessions.begin() as session:
        kim = (await persons_named(session, "Kim"))[0]
        kim.telegram_user_id = 5001
    rows = await do(services, lambda s: everyone.list_people(services, s))
    summary = {r.person.display_name: ([g.name for g in r.groups], r.joined) for r in rows}
    assert summary == {
        "Anna": (["A-gruppen", "Rutt 1"], False),
        "Bo": (["Rutt 1"], False),
        "Cilla": ([], False),
        "Kim": (["Rutt 1"], True),
        "Lo": (["Rutt 1"], False),
    }
