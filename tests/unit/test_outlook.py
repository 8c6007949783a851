"""/week, /history (with the days-in-a-row count) and the opt-in evening preview."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from bot.context import Services
from bot.i18n import Texts
from bot.rules.clock import MovableClock
from bot.rules.localtime import local_moment
from bot.services.day import outlook
from bot.views import outlook as views
from bot.views.titles import MAX_WORDS, word_count
from storage.models import Person, PlanStatus, TaskStatus
from tests.unit.coworker_days import DONE, OPEN, coworker, outbox, plan

TUESDAY = date(2026, 11, 24)
# Around Epiphany (trettondedag jul, Wednesday 6 January 2027, a public holiday).
DEC_31, MON_4, TUE_5, THU_7, FRI_8, MON_11 = (
    date(2026, 12, 31),
    date(2027, 1, 4),
    date(2027, 1, 5),
    date(2027, 1, 7),
    date(2027, 1, 8),
    date(2027, 1, 11),
)


def test_streak_goes_over_weekends_and_holidays_and_stops_at_a_day_with_nothing_done() -> None:
    sent = [(MON_11, 0), (FRI_8, 2), (THU_7, 1), (TUE_5, 3), (MON_4, 1), (DEC_31, 0)]
    assert outlook.streak(sent, MON_11) == 4  # today is not over: it does not break it
    assert outlook.streak([(MON_11, 1), *sent[1:]], MON_11) == 5
    assert outlook.streak(sent, MON_11 + timedelta(days=1)) == 0  # Monday ended with nothing
    assert outlook.streak([], MON_11) == 0
    assert outlook.streak([(MON_11 + timedelta(days=3), 5), *sent], MON_11) == 4


async def test_history_names_the_last_seven_days_and_counts_days_in_a_row(
    services: Services, clock: MovableClock
) -> None:
    kim = await coworker(services)
    await plan(services, kim, DEC_31, [("Vattna blommorna", OPEN)])
    await plan(services, kim, MON_4, [("Vattna blommorna", DONE)])
    await plan(services, kim, TUE_5, [("Torka borden", DONE), ("Sortera posten", DONE)])
    await plan(services, kim, THU_7, [("Torka borden", OPEN), ("Vattna blommorna", DONE)])
    await plan(services, kim, FRI_8, [("Sortera posten", DONE)])
    await plan(services, kim, MON_11, [("Torka borden", OPEN)])
    # A draft never sent neither counts nor breaks the days in a row.
    await plan(services, kim, date(2027, 1, 10), [("Torka borden", OPEN)], PlanStatus.DRAFT)
    clock.set(local_moment(MON_11, time(12, 0), services.zone))
    async with services.sessions() as session:
        done = await outlook.history(services, session, kim)
    assert done.streak == 4
    shown = [(day.day, day.titles) for day in done.days]
    assert shown == [
        (TUE_5, ["Torka borden", "Sortera posten"]),
        (THU_7, ["Vattna blommorna"]),
        (FRI_8, ["Sortera posten"]),
    ]
    assert views.history(Texts("sv"), shown, done.streak).text == (
        "Det här har du gjort de senaste sju dagarna:\n"
        "Tisdag 5/1: Torka borden, Sortera posten\n"
        "Torsdag 7/1: Vattna blommorna\n"
        "Fredag 8/1: Sortera posten\n"
        "\n"
        "Du har gjort minst en uppgift 4 dagar i rad. Bra jobbat!"
    )


def test_history_with_nothing_done_is_kind() -> None:
    text = views.history(Texts("sv"), [], 0).text
    assert text == (
        "Här ser du vad du har gjort de senaste sju dagarna. "
        "Just nu finns inget att visa, och det är okej."
    )


async def test_week_shows_the_drafted_days_from_tomorrow(
    services: Services, clock: MovableClock
) -> None:
    kim = await coworker(services)
    sara = await coworker(services, "Sara", 5002)
    await plan(services, kim, TUESDAY, [("Idag", OPEN)])
    await plan(
        services,
        kim,
        TUESDAY + timedelta(days=1),
        [("Vattna blommorna", OPEN), ("Torka borden", OPEN)],
        PlanStatus.DRAFT,
    )
    await plan(
        services, kim, TUESDAY + timedelta(days=2), [("Sortera posten", OPEN)], PlanStatus.APPROVED
    )
    await plan(services, kim, TUESDAY + timedelta(days=3), [], PlanStatus.DRAFT)  # nothing on it
    await plan(
        services,
        kim,
        TUESDAY + timedelta(days=6),
        [("Flyttad", TaskStatus.CARRIED_OVER), ("Torka borden", OPEN)],
        PlanStatus.DRAFT,
    )
    await plan(
        services, kim, TUESDAY + timedelta(days=7), [("Vattna blommorna", OPEN)], PlanStatus.DRAFT
    )
    await plan(
        services, kim, TUESDAY + timedelta(days=8), [("För långt bort", OPEN)], PlanStatus.DRAFT
    )
    await plan(
        services, sara, TUESDAY + timedelta(days=1), [("Saras uppgift", OPEN)], PlanStatus.DRAFT
    )
    async with services.sessions() as session:
        days = await outlook.week(services, session, kim)
    shown = [(day.day, day.titles) for day in days]
    assert views.week(Texts("sv"), shown).text == (
        "Dina kommande dagar:\n"
        "Onsdag 25/11: Vattna blommorna, Torka borden\n"
        "Torsdag 26/11: Sortera posten\n"
        "Måndag 30/11: Torka borden\n"
        "Tisdag 1/12: Vattna blommorna\n"
        "\n"
        "Listorna kan ändras lite innan dess."
    )
    async with services.sessions() as session:
        assert await outlook.week(services, session, sara) != []
    assert views.week(Texts("sv"), []).text == (
        "Listorna för de kommande dagarna är inte klara än. Din stödperson gör dem i förväg."
    )


def test_a_full_week_keeps_under_sixty_words() -> None:
    days = [
        (TUESDAY + timedelta(days=n), [f"Uppgift med ett ganska långt namn {k}" for k in range(6)])
        for n in range(1, 8)
    ]
    text = views.week(Texts("sv"), days).text
    assert word_count(text) <= MAX_WORDS
    assert text.splitlines()[1] == "Onsdag 25/11: 6 saker"


async def kim_with_preview(services: Services, on: bool = True) -> Person:
    kim = await coworker(services)
    async with services.sessions.begin() as session:
        assert await outlook.set_evening_preview(session, kim.id, on) is not None
    return kim


async def test_the_preview_goes_at_the_evening_time_once_to_those_who_chose_it(
    services: Services, clock: MovableClock
) -> None:
    kim = await kim_with_preview(services)
    sara = await coworker(services, "Sara", 5002)  # did not choose it
    tomorrow = TUESDAY + timedelta(days=1)
    for person in (kim, sara):
        await plan(
            services,
            person,
            tomorrow,
            [("Vattna blommorna", OPEN), ("Torka borden", OPEN)],
            PlanStatus.DRAFT,
        )
    clock.set(local_moment(TUESDAY, time(18, 59), services.zone))
    assert await outlook.queue_previews(services) == 0
    clock.set(local_moment(TUESDAY, time(19, 0, 5), services.zone))
    assert await outlook.queue_previews(services) == 1
    assert await outlook.queue_previews(services) == 0
    (row,) = await outbox(services)
    assert (row.idempotency_key, row.kind, row.person_id) == (
        f"preview:{kim.id}:2026-11-25",
        "preview",
        kim.id,
    )
    assert row.payload == {"text": "Imorgon: Vattna blommorna, Torka borden.", "buttons": []}


async def test_previews_over_several_batches_each_once(
    services: Services, clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outlook, "BATCH", 2)
    people = [await coworker(services, f"Person {n}", 6000 + n) for n in range(5)]
    tomorrow = TUESDAY + timedelta(days=1)
    async with services.sessions.begin() as session:
        for person in people:
            (await session.get_one(Person, person.id)).evening_preview = True
    for person in people:
        await plan(services, person, tomorrow, [("Torka borden", OPEN)], PlanStatus.DRAFT)
    clock.set(local_moment(TUESDAY, time(19, 0, 5), services.zone))
    assert await outlook.queue_previews(services) == 5
    assert await outlook.queue_previews(services) == 0
    rows = await outbox(services)
    assert sorted(row.person_id for row in rows) == [p.id for p in people]
    assert {row.payload["text"] for row in rows} == {"Imorgon: Torka borden."}


async def test_no_preview_without_a_plan_in_quiet_hours_or_when_turned_off(
    services: Services, clock: MovableClock
) -> None:
    kim = await kim_with_preview(services)
    clock.set(local_moment(TUESDAY, time(19, 0, 5), services.zone))
    assert await outlook.queue_previews(services) == 0  # no plan for tomorrow
    await plan(
        services, kim, TUESDAY + timedelta(days=1), [("Vattna blommorna", OPEN)], PlanStatus.DRAFT
    )
    async with services.sessions.begin() as session:
        stored = await session.get_one(Person, kim.id)
        stored.quiet_start = time(18, 30)
    assert await outlook.queue_previews(services) == 0
    async with services.sessions.begin() as session:
        stored = await session.get_one(Person, kim.id)
        stored.quiet_start = time(20, 0)
        stored.evening_preview = False
    assert await outlook.queue_previews(services) == 0
    assert await outbox(services) == []
