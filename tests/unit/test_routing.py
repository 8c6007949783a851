"""Routing to the contact person on duty: the pure rules property-tested across DST
changes and public holidays, and the database layer with a few examples."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.context import Services
from bot.rules.duty import (
    HORIZON,
    Decision,
    Reason,
    Rota,
    Shift,
    decide,
    is_on_duty,
    next_on_duty,
    shift_end,
)
from bot.rules.localtime import local_moment
from bot.rules.working_days import SWEDISH_HOLIDAYS
from bot.services.messages import routing
from storage.models import Absence, ContactPersons, DutyShift, Person, Role
from storage.repos import people

ZONE = ZoneInfo("Europe/Stockholm")
MINUTE = timedelta(minutes=1)
SHORT = timedelta(days=2)  # the horizon for minute-by-minute checks

# Mondays of weeks worth testing: both DST changes, Christmas, midsummer, Easter,
# May Day and Ascension, and an ordinary week.
WEEKS = [
    date(2026, 3, 23),  # summer time starts Sunday 29 March, 02:00 -> 03:00
    date(2026, 10, 19),  # summer time ends Sunday 25 October, 03:00 -> 02:00
    date(2026, 12, 21),  # 24 Dec is not a public holiday, 25 and 26 are
    date(2026, 6, 15),  # midsummer eve 19 June is not, midsummer day 20 June is
    date(2026, 3, 30),  # Good Friday 3 April, Easter Monday 6 April
    date(2026, 5, 11),  # Ascension Day 14 May
    date(2026, 11, 23),
]


def test_the_holidays_package_says_what_the_tests_assume() -> None:
    assert date(2026, 12, 25) in SWEDISH_HOLIDAYS
    assert date(2026, 12, 26) in SWEDISH_HOLIDAYS
    assert date(2026, 6, 20) in SWEDISH_HOLIDAYS  # midsommardagen
    assert date(2026, 4, 3) in SWEDISH_HOLIDAYS
    assert date(2026, 5, 14) in SWEDISH_HOLIDAYS
    # Eves are de facto days off, but not public holidays in the package.
    assert date(2026, 12, 24) not in SWEDISH_HOLIDAYS
    assert date(2026, 6, 19) not in SWEDISH_HOLIDAYS
    assert date(2026, 12, 31) not in SWEDISH_HOLIDAYS
    # Plain Sundays are not in it either.
    assert date(2026, 11, 29) not in SWEDISH_HOLIDAYS


# --- examples ---------------------------------------------------------------------------

WEEKDAYS_7_16 = Rota(tuple(Shift(day, time(7), time(16)) for day in range(5)))


def local(day: date, at: time) -> datetime:
    return local_moment(day, at, ZONE)


def test_weekday_hours_are_local_across_the_dst_changes() -> None:
    friday, monday = date(2026, 3, 27), date(2026, 3, 30)
    assert local(friday, time(7)) == datetime(2026, 3, 27, 6, 0, tzinfo=UTC)
    assert local(monday, time(7)) == datetime(2026, 3, 30, 5, 0, tzinfo=UTC)
    for day in (friday, monday, date(2026, 10, 23), date(2026, 10, 26)):
        assert is_on_duty(WEEKDAYS_7_16, local(day, time(7)), ZONE, SWEDISH_HOLIDAYS)
        assert not is_on_duty(WEEKDAYS_7_16, local(day, time(7)) - MINUTE, ZONE, SWEDISH_HOLIDAYS)
        assert is_on_duty(WEEKDAYS_7_16, local(day, time(15, 59)), ZONE, SWEDISH_HOLIDAYS)
        assert not is_on_duty(WEEKDAYS_7_16, local(day, time(16)), ZONE, SWEDISH_HOLIDAYS)


def test_nobody_is_on_regular_duty_on_a_public_holiday() -> None:
    christmas = local(date(2026, 12, 25), time(10))  # a Friday
    assert not is_on_duty(WEEKDAYS_7_16, christmas, ZONE, SWEDISH_HOLIDAYS)
    assert is_on_duty(WEEKDAYS_7_16, local(date(2026, 12, 24), time(10)), ZONE, SWEDISH_HOLIDAYS)
    assert is_on_duty(WEEKDAYS_7_16, local(date(2026, 6, 19), time(10)), ZONE, SWEDISH_HOLIDAYS)
    # From Christmas Day morning, next duty is Monday 28 December at 07:00.
    assert next_on_duty(WEEKDAYS_7_16, christmas, ZONE, SWEDISH_HOLIDAYS) == local(
        date(2026, 12, 28), time(7)
    )


def test_absence_is_half_open() -> None:
    start, end = local(date(2026, 11, 24), time(9)), local(date(2026, 11, 24), time(11))
    rota = Rota(WEEKDAYS_7_16.shifts, ((start, end),))
    assert is_on_duty(rota, start - MINUTE, ZONE, SWEDISH_HOLIDAYS)
    assert not is_on_duty(rota, start, ZONE, SWEDISH_HOLIDAYS)
    assert is_on_duty(rota, end, ZONE, SWEDISH_HOLIDAYS)
    assert next_on_duty(rota, start, ZONE, SWEDISH_HOLIDAYS) == end


def test_a_shift_starting_in_the_skipped_hour_begins_when_the_clock_jumps() -> None:
    rota = Rota((Shift(6, time(2, 30), time(4)),))  # Sunday 02:30–04:00
    jump = datetime(2026, 3, 29, 1, 0, tzinfo=UTC)  # 02:00 CET becomes 03:00 CEST
    assert not is_on_duty(rota, jump - MINUTE, ZONE, SWEDISH_HOLIDAYS)
    assert is_on_duty(rota, jump, ZONE, SWEDISH_HOLIDAYS)
    assert next_on_duty(rota, jump - timedelta(hours=1), ZONE, SWEDISH_HOLIDAYS) == jump


def test_the_repeated_hour_in_autumn_counts_twice() -> None:
    rota = Rota((Shift(6, time(2, 15), time(2, 45)),))  # Sunday 02:15–02:45
    first = datetime(2026, 10, 25, 0, 15, tzinfo=UTC)  # 02:15 CEST
    second = datetime(2026, 10, 25, 1, 15, tzinfo=UTC)  # 02:15 CET
    assert is_on_duty(rota, first, ZONE, SWEDISH_HOLIDAYS)
    assert is_on_duty(rota, second, ZONE, SWEDISH_HOLIDAYS)
    assert not is_on_duty(rota, first + timedelta(minutes=30), ZONE, SWEDISH_HOLIDAYS)
    assert next_on_duty(rota, first + timedelta(minutes=30), ZONE, SWEDISH_HOLIDAYS) == second


def test_nothing_within_the_horizon_is_none() -> None:
    at = local(date(2026, 11, 24), time(10))
    away = Rota(WEEKDAYS_7_16.shifts, ((at - MINUTE, at + timedelta(days=20)),))
    assert next_on_duty(away, at, ZONE, SWEDISH_HOLIDAYS) is None
    assert next_on_duty(Rota(), at, ZONE, SWEDISH_HOLIDAYS) is None


# --- properties -------------------------------------------------------------------------


@st.composite
def minutes_of_day(draw: st.DrawFn) -> int:
    # Lean towards the hours the DST changes touch.
    return draw(st.one_of(st.integers(0, 1439), st.integers(100, 200)))


def as_time(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


@st.composite
def shifts(draw: st.DrawFn) -> Shift:
    weekday = draw(st.integers(0, 6))
    start = draw(minutes_of_day().filter(lambda m: m < 1439))
    end = draw(st.integers(start + 1, min(1439, start + 12 * 60)))
    return Shift(weekday, as_time(start), as_time(end))


@st.composite
def rotas(draw: st.DrawFn, week: datetime) -> Rota:
    found = draw(st.lists(shifts(), max_size=8))
    absences = []
    for _ in range(draw(st.integers(0, 3))):
        start = week + timedelta(minutes=draw(st.integers(-2 * 1440, 10 * 1440)))
        length = timedelta(minutes=draw(st.integers(1, 4 * 1440)))
        absences.append((start, start + length))
    return Rota(tuple(found), tuple(absences))


@st.composite
def situations(draw: st.DrawFn) -> tuple[datetime, list[Rota]]:
    """A moment in one of the interesting weeks, and the rotas of 1–5 people."""
    week = local(draw(st.sampled_from(WEEKS)), time(0))
    at = week + timedelta(minutes=draw(st.integers(0, 8 * 1440)))
    people = draw(st.lists(rotas(week), min_size=1, max_size=5))
    return at, people


def on(rota: Rota, at: datetime) -> bool:
    return is_on_duty(rota, at, ZONE, SWEDISH_HOLIDAYS)


def first_minute_on_duty(rotas: list[Rota], at: datetime, horizon: timedelta) -> datetime | None:
    """The slow oracle: walk minute by minute (every boundary falls on a whole minute)."""
    moment = at
    while moment < at + horizon:
        if any(on(rota, moment) for rota in rotas):
            return moment
        moment += MINUTE
    return None


FAST = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(situations())
def test_decide_follows_the_order_and_never_picks_someone_off_duty(
    situation: tuple[datetime, list[Rota]],
) -> None:
    at, rotas_ = situation
    primary = (10, rotas_[0])
    secondary = (20, rotas_[1]) if len(rotas_) > 1 else None
    staff = [(40 - i, rota) for i, rota in enumerate(rotas_[2:])]  # ids out of order
    decision = decide(primary, secondary, staff, at, ZONE, SWEDISH_HOLIDAYS, SHORT)
    everyone = {10: rotas_[0]} | ({20: secondary[1]} if secondary else {}) | dict(staff)

    if on(primary[1], at):
        assert decision == Decision(10, Reason.PRIMARY)
    elif secondary and on(secondary[1], at):
        assert decision == Decision(20, Reason.SECONDARY)
    elif any(on(rota, at) for _, rota in staff):
        lowest = min(pid for pid, rota in staff if on(rota, at))
        assert decision == Decision(lowest, Reason.GROUP_STAFF)
    else:
        assert decision.reason is Reason.NOBODY and decision.person_id is None
    if decision.person_id is not None:
        assert on(everyone[decision.person_id], at)
        assert decision.next_on_duty is None
    else:
        assert not any(on(rota, at) for rota in everyone.values())
        assert decision.next_on_duty == first_minute_on_duty(list(everyone.values()), at, SHORT)


@settings(max_examples=60, deadline=None)
@given(situations())
def test_next_on_duty_is_the_first_minute_on_duty_in_the_horizon(
    situation: tuple[datetime, list[Rota]],
) -> None:
    at, rotas_ = situation
    rota = rotas_[0]
    found = next_on_duty(rota, at, ZONE, SWEDISH_HOLIDAYS, SHORT)
    assert found == first_minute_on_duty([rota], at, SHORT)
    if found is not None:
        assert on(rota, found) and not (found > at and on(rota, found - MINUTE))


@settings(max_examples=15, deadline=None)
@given(situations())
def test_next_on_duty_over_the_full_fourteen_days(
    situation: tuple[datetime, list[Rota]],
) -> None:
    at, rotas_ = situation
    found = next_on_duty(rotas_[0], at, ZONE, SWEDISH_HOLIDAYS)
    assert found == first_minute_on_duty([rotas_[0]], at, HORIZON)


# --- the database layer -------------------------------------------------------------------

TUESDAY = date(2026, 11, 24)


async def seed_group(services: Services) -> dict[str, int]:
    """Rutt 1: Kim (co-worker); Anna primary and Bo secondary; Cilla and Dan more staff."""
    now = services.now()
    async with services.sessions.begin() as session:
        group = await people.get_or_create_group(session, "Rutt 1", now)
        ids = {}
        for name in ("Anna", "Bo", "Cilla", "Dan"):
            person = await people.add_person(
                session, name=name, role=Role.SUPPORT, now=now, group=group
            )
            ids[name] = person.id
        kim = await people.add_person(session, name="Kim", role=Role.COWORKER, now=now, group=group)
        ids["Kim"] = kim.id
        session.add(
            ContactPersons(coworker_id=kim.id, primary_id=ids["Anna"], secondary_id=ids["Bo"])
        )
        hours = {
            "Anna": (time(7), time(16)),
            "Bo": (time(12), time(20)),
            "Cilla": (time(6), time(22)),
            "Dan": (time(6), time(22)),
        }
        for name, (start, end) in hours.items():
            for day in range(5):
                session.add(
                    DutyShift(person_id=ids[name], weekday=day, start_time=start, end_time=end)
                )
    return ids


async def route_at(services: Services, coworker: int, at: datetime) -> routing.Route:
    async with services.sessions() as session:
        return await routing.route(services, session, coworker, at)


async def test_route_from_the_database(services: Services) -> None:
    ids = await seed_group(services)
    kim = ids["Kim"]

    def who(result: routing.Route) -> tuple[str | None, Reason]:
        name = result.recipient.display_name if result.recipient else None
        return name, result.reason

    assert who(await route_at(services, kim, local(TUESDAY, time(9)))) == ("Anna", Reason.PRIMARY)
    assert who(await route_at(services, kim, local(TUESDAY, time(17)))) == ("Bo", Reason.SECONDARY)
    late = await route_at(services, kim, local(TUESDAY, time(21)))
    assert who(late) == ("Cilla", Reason.GROUP_STAFF)
    night = await route_at(services, kim, local(TUESDAY, time(23)))
    assert who(night) == (None, Reason.NOBODY)
    assert night.next_on_duty == local(TUESDAY + timedelta(days=1), time(6))
    # Christmas Day (Friday) and the weekend: nobody until Monday 28 December 06:00.
    christmas = await route_at(services, kim, local(date(2026, 12, 25), time(9)))
    assert who(christmas) == (None, Reason.NOBODY)
    assert christmas.next_on_duty == local(date(2026, 12, 28), time(6))
    async with services.sessions() as session:
        assert await routing.on_duty(services, session, ids["Anna"], local(TUESDAY, time(9)))
        assert not await routing.on_duty(services, session, kim, local(TUESDAY, time(9)))


async def test_absent_unreachable_and_inactive_people_are_passed_over(services: Services) -> None:
    ids = await seed_group(services)
    kim, nine = ids["Kim"], local(TUESDAY, time(13))
    async with services.sessions.begin() as session:
        session.add(
            Absence(
                person_id=ids["Anna"], starts_at=nine - timedelta(hours=1), ends_at=nine + MINUTE
            )
        )
    result = await route_at(services, kim, nine)
    assert result.recipient is not None and result.recipient.display_name == "Bo"
    assert (await route_at(services, kim, nine + MINUTE)).reason is Reason.PRIMARY
    async with services.sessions.begin() as session:
        bo = await session.get(Person, ids["Bo"])
        cilla = await session.get(Person, ids["Cilla"])
        assert bo is not None and cilla is not None
        bo.unreachable = True
        cilla.active = False
    result = await route_at(services, kim, nine)
    assert result.recipient is not None and result.recipient.display_name == "Dan"
    assert result.reason is Reason.GROUP_STAFF
    async with services.sessions() as session:
        assert not await routing.on_duty(services, session, ids["Cilla"], nine)
        # Unreachable is about Telegram, not the rota: Bo is still on duty.
        assert await routing.on_duty(services, session, ids["Bo"], nine)
        assert not await routing.on_duty(services, session, ids["Anna"], nine)


async def test_a_coworker_without_contacts_or_group_reaches_nobody(services: Services) -> None:
    async with services.sessions.begin() as session:
        lone = await people.add_person(
            session, name="Ensam", role=Role.COWORKER, now=services.now()
        )
    result = await route_at(services, lone.id, local(TUESDAY, time(9)))
    assert result == routing.Route(None, Reason.NOBODY, None)
    assert (await route_at(services, 999_999, local(TUESDAY, time(9)))).reason is Reason.NOBODY


def test_shift_end_is_the_end_of_the_shift_one_is_on() -> None:
    zone = ZoneInfo("Europe/Stockholm")
    rota = Rota((Shift(1, time(7), time(12)), Shift(1, time(13), time(16))))
    tuesday = date(2026, 11, 24)

    def moment(hour: int) -> datetime:
        return datetime.combine(tuesday, time(hour), tzinfo=zone).astimezone(UTC)

    assert shift_end(rota, moment(9), zone, ()) == moment(12)
    assert shift_end(rota, moment(14), zone, ()) == moment(16)
    assert shift_end(rota, moment(12), zone, ()) is None
