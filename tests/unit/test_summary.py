"""The end-of-day summary: at the local summary time, once, to those whose list was sent;
named tasks, what moves on (without blame), the evening question, under 60 words."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.context import Services
from bot.i18n import Texts
from bot.rules.clock import MovableClock
from bot.rules.localtime import local_moment
from bot.services.day import summary as summaries
from bot.views.summary import summary
from bot.views.titles import MAX_WORDS, word_count
from storage.models import Person, PlanStatus, Role
from tests.unit.coworker_days import DONE, OPEN, coworker, outbox, plan

TUESDAY = date(2026, 11, 24)
FRIDAY = date(2026, 11, 27)


def at(services: Services, day: date, hour: int, minute: int, second: int = 0) -> datetime:
    return local_moment(day, time(hour, minute, second), services.zone)


async def kims_day(services: Services, day: date = TUESDAY) -> Person:
    kim = await coworker(services)
    await plan(
        services,
        kim,
        day,
        [
            ("Vattna blommorna", DONE),
            ("Torka borden", OPEN),
            ("Sortera posten", DONE),
            ("Tömma papperskorgarna", DONE),
        ],
    )
    return kim


async def test_at_the_summary_time_once_with_named_tasks(
    services: Services, clock: MovableClock
) -> None:
    kim = await kims_day(services)
    clock.set(at(services, TUESDAY, 15, 29))
    assert await summaries.queue_summaries(services) == 0
    clock.set(at(services, TUESDAY, 15, 30, 5))
    assert await summaries.queue_summaries(services) == 1
    assert await summaries.queue_summaries(services) == 0
    (row,) = await outbox(services)
    assert (row.idempotency_key, row.kind) == (f"summary:{kim.id}:2026-11-24", "summary")
    assert row.payload["text"] == (
        "Bra jobbat idag! Du gjorde 3 saker: Vattna blommorna, Sortera posten och "
        "Tömma papperskorgarna.\n"
        "Torka borden tar vi imorgon.\n\n"
        "Hur var din dag?"
    )
    ordinal = TUESDAY.toordinal()
    assert row.payload["buttons"] == [
        [
            ["😊 Bra dag", f"i:{ordinal}0"],
            ["😐 Okej", f"i:{ordinal}1"],
            ["😞 Tung dag", f"i:{ordinal}2"],
        ]
    ]
    assert row.payload["body"] == row.payload["text"].removesuffix("\n\nHur var din dag?")


async def test_the_summary_time_is_local_across_the_dst_change(
    services: Services, clock: MovableClock
) -> None:
    # Summer time ends on 25 October 2026: 15:30 is 13:30 UTC on the Friday before and
    # 14:30 UTC on the Monday after.
    friday, monday = date(2026, 10, 23), date(2026, 10, 26)
    assert at(services, friday, 15, 30) == datetime(2026, 10, 23, 13, 30, tzinfo=UTC)
    assert at(services, monday, 15, 30) == datetime(2026, 10, 26, 14, 30, tzinfo=UTC)
    kim = await coworker(services)
    await plan(services, kim, friday, [("Vattna blommorna", DONE)])
    await plan(services, kim, monday, [("Torka borden", DONE)])
    clock.set(datetime(2026, 10, 23, 13, 29, tzinfo=UTC))
    assert await summaries.queue_summaries(services) == 0
    clock.set(datetime(2026, 10, 23, 13, 30, 1, tzinfo=UTC))
    assert await summaries.queue_summaries(services) == 1
    clock.set(datetime(2026, 10, 26, 13, 30, 1, tzinfo=UTC))  # 14:30 local: not yet
    assert await summaries.queue_summaries(services) == 0
    clock.set(datetime(2026, 10, 26, 14, 30, 1, tzinfo=UTC))
    assert await summaries.queue_summaries(services) == 1
    assert [row.idempotency_key for row in await outbox(services)] == [
        f"summary:{kim.id}:2026-10-23",
        f"summary:{kim.id}:2026-10-26",
    ]


async def test_only_those_whose_list_was_sent_and_who_can_be_reached(
    services: Services, clock: MovableClock
) -> None:
    kim = await kims_day(services)
    unsent = await coworker(services, "Sara", 5002)
    await plan(services, unsent, TUESDAY, [("Torka borden", OPEN)], status=PlanStatus.APPROVED)
    gone = await coworker(services, "Ali", 5003)
    await plan(services, gone, TUESDAY, [("Torka borden", OPEN)])
    blocked = await coworker(services, "Bo", 5004)
    await plan(services, blocked, TUESDAY, [("Torka borden", OPEN)])
    quiet = await coworker(services, "Eva", 5005)
    await plan(services, quiet, TUESDAY, [("Torka borden", OPEN)])
    staff = await coworker(services, "Anna", 5006, role=Role.SUPPORT)
    await plan(services, staff, TUESDAY, [("Torka borden", OPEN)])
    async with services.sessions.begin() as session:
        (await session.get_one(Person, gone.id)).active = False
        (await session.get_one(Person, blocked.id)).unreachable = True
        eva = await session.get_one(Person, quiet.id)
        eva.quiet_start, eva.quiet_end = time(15, 0), time(16, 0)
    clock.set(at(services, TUESDAY, 15, 31))
    assert await summaries.queue_summaries(services) == 1
    assert [row.person_id for row in await outbox(services)] == [kim.id]
    # Eva's quiet hours end at 16:00; the summary is still useful then.
    clock.set(at(services, TUESDAY, 16, 0, 1))
    assert await summaries.queue_summaries(services) == 1
    assert [row.person_id for row in await outbox(services)] == [kim.id, quiet.id]


async def test_many_at_once_over_several_batches_each_once(
    services: Services, clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(summaries, "BATCH", 2)
    people = [await coworker(services, f"Person {n}", 6000 + n) for n in range(5)]
    for person in people:
        await plan(services, person, TUESDAY, [("Torka borden", DONE)])
    async with services.sessions.begin() as session:
        quiet = await session.get_one(Person, people[2].id)  # in the middle of a batch
        quiet.quiet_start, quiet.quiet_end = time(15, 0), time(16, 0)
    clock.set(at(services, TUESDAY, 15, 31))
    assert await summaries.queue_summaries(services) == 4
    assert await summaries.queue_summaries(services) == 0
    rows = await outbox(services)
    reached = [p.id for p in people if p.id != quiet.id]
    assert sorted(row.person_id for row in rows) == reached
    assert all(row.payload["text"].startswith("Bra jobbat idag!") for row in rows)


async def test_too_late_after_a_long_stop_is_not_sent(
    services: Services, clock: MovableClock
) -> None:
    await kims_day(services)
    clock.set(at(services, TUESDAY, 15, 30) + summaries.GRACE + timedelta(seconds=1))
    assert await summaries.queue_summaries(services) == 0
    assert await outbox(services) == []


async def test_nothing_done_is_kind_and_friday_moves_to_monday(
    services: Services, clock: MovableClock
) -> None:
    kim = await coworker(services)
    await plan(services, kim, FRIDAY, [("Vattna blommorna", OPEN), ("Torka borden", OPEN)])
    clock.set(at(services, FRIDAY, 15, 30, 1))
    assert await summaries.queue_summaries(services) == 1
    (row,) = await outbox(services)
    assert row.payload["text"] == (
        "Tack för idag! Alla dagar är olika, och det är helt okej.\n"
        "Vattna blommorna och Torka borden tar vi på måndag.\n\n"
        "Hur var din dag?"
    )


def test_many_tasks_keep_under_sixty_words() -> None:
    t = Texts("sv")
    done = [f"Uppgift nummer {n}" for n in range(1, 13)]
    moving = [f"Annan uppgift {n}" for n in range(1, 9)]
    _, rendered = summary(t, TUESDAY, TUESDAY + timedelta(days=1), done, moving)
    assert rendered.text == (
        "Bra jobbat idag! Du gjorde 12 saker: Uppgift nummer 1, Uppgift nummer 2, "
        "Uppgift nummer 3 och 9 till.\n"
        "Annan uppgift 1, Annan uppgift 2, Annan uppgift 3 och 5 till tar vi imorgon.\n\n"
        "Hur var din dag?"
    )
    assert word_count(rendered.text) <= MAX_WORDS


def test_long_titles_are_named_fewer_and_shorter_to_keep_under_sixty_words() -> None:
    t = Texts("sv")
    rest = "sortera all post som kommit till kontoret under veckan efter avdelning"
    done = [f"Rum {n}: {rest}" for n in range(1, 7)]
    moving = [f"Rum {n}: {rest}" for n in range(7, 11)]
    _, rendered = summary(t, TUESDAY, TUESDAY + timedelta(days=1), done, moving)
    assert word_count(rendered.text) <= MAX_WORDS
    assert rendered.text.splitlines() == [
        "Bra jobbat idag! Du gjorde 6 saker: Rum 1: sortera all post som kommit till…, "
        "Rum 2: sortera all post som kommit till… och 4 till.",
        "Rum 7: sortera all post som kommit till…, Rum 8: sortera all post som kommit till… "
        "och 2 till tar vi imorgon.",
        "",
        "Hur var din dag?",
    ]


def test_even_absurd_titles_keep_under_sixty_words() -> None:
    t = Texts("sv")
    endless = " ".join(["ord"] * 200)
    _, rendered = summary(t, TUESDAY, TUESDAY + timedelta(days=1), [endless] * 3, [endless] * 3)
    assert word_count(rendered.text) <= MAX_WORDS
