"""Recurring tasks: presets as RRULEs, days off, and garbage refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from bot.rules.recurrence import (
    Preset,
    RecurrenceError,
    build_rule,
    due_on,
    occurs_on,
    parse_rule,
    validate_rule,
)
from bot.rules.working_days import is_day_off, next_working_day
from storage.models import Recurrence

MONDAY = date(2026, 11, 23)


@dataclass(frozen=True)
class Rule:
    rrule: str
    starts_on: date
    active: bool = True


def days(rule: Rule, first: date, count: int) -> list[date]:
    span = (first + timedelta(days=n) for n in range(count))
    return [day for day in span if occurs_on(rule, day)]


def test_presets_are_plain_rrules() -> None:
    assert build_rule(Preset.WEEKDAYS) == "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
    assert build_rule(Preset.WEEKLY, [3, 0, 0]) == "FREQ=WEEKLY;BYDAY=MO,TH"
    assert build_rule(Preset.EVERY_OTHER_WEEK, [2]) == "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE"
    assert build_rule(Preset.ONE_DAY) == "FREQ=DAILY;COUNT=1"
    with pytest.raises(RecurrenceError):
        build_rule(Preset.WEEKLY, [])
    with pytest.raises(RecurrenceError):
        build_rule(Preset.WEEKLY, [7])


def test_every_weekday() -> None:
    rule = Rule(build_rule(Preset.WEEKDAYS), MONDAY)
    assert days(rule, MONDAY - timedelta(days=7), 14) == [
        MONDAY + timedelta(days=n) for n in range(5)
    ]


def test_chosen_weekdays_and_the_weekend_only_when_named() -> None:
    monday_thursday = Rule(build_rule(Preset.WEEKLY, [0, 3]), MONDAY)
    assert days(monday_thursday, MONDAY, 7) == [MONDAY, date(2026, 11, 26)]
    saturday = Rule(build_rule(Preset.WEEKLY, [5]), MONDAY)
    assert days(saturday, MONDAY, 7) == [date(2026, 11, 28)]
    daily = Rule("FREQ=DAILY", MONDAY)  # not a preset: no BYDAY, so no weekend
    assert days(daily, MONDAY, 7) == [MONDAY + timedelta(days=n) for n in range(5)]


def test_every_other_week_counts_from_the_start_week() -> None:
    rule = Rule(build_rule(Preset.EVERY_OTHER_WEEK, [1, 4]), date(2026, 11, 25))  # a Wednesday
    assert days(rule, MONDAY, 28) == [
        date(2026, 11, 27),  # not Tuesday the 24th: before the start
        date(2026, 12, 8),
        date(2026, 12, 11),
    ]


def test_public_holidays_are_days_off() -> None:
    weekdays = Rule(build_rule(Preset.WEEKDAYS), MONDAY)
    christmas_week = days(weekdays, date(2026, 12, 21), 7)
    assert date(2026, 12, 25) not in christmas_week  # juldagen, a Friday
    assert date(2026, 12, 24) in christmas_week  # julafton is not a public holiday
    wednesdays = Rule(build_rule(Preset.WEEKLY, [2]), MONDAY)
    assert not occurs_on(wednesdays, date(2027, 1, 6))  # trettondedag jul, a Wednesday
    assert occurs_on(wednesdays, date(2027, 1, 13))
    assert is_day_off(date(2026, 12, 25)) and is_day_off(date(2027, 1, 6))
    assert is_day_off(date(2026, 11, 28)) and not is_day_off(date(2026, 11, 27))


def test_a_one_day_rule_on_a_holiday_is_planned_explicitly() -> None:
    christmas = Rule(build_rule(Preset.ONE_DAY), date(2026, 12, 25))
    assert days(christmas, date(2026, 12, 20), 14) == [date(2026, 12, 25)]
    sunday = Rule(build_rule(Preset.ONE_DAY), date(2026, 11, 29))
    assert days(sunday, MONDAY, 14) == [date(2026, 11, 29)]


def test_the_dst_weeks_do_not_move_anything() -> None:
    rule = Rule(build_rule(Preset.WEEKLY, [0, 4, 6]), date(2026, 1, 5))
    # Summer time ends on Sunday 25 October 2026 and starts on Sunday 29 March 2026.
    assert days(rule, date(2026, 10, 19), 14) == [
        date(2026, 10, 19),
        date(2026, 10, 23),
        date(2026, 10, 25),
        date(2026, 10, 26),
        date(2026, 10, 30),
        date(2026, 11, 1),
    ]
    assert days(rule, date(2026, 3, 27), 4) == [
        date(2026, 3, 27),
        date(2026, 3, 29),
        date(2026, 3, 30),
    ]


def test_inactive_and_not_yet_started_rules_do_not_fall() -> None:
    assert not occurs_on(Rule(build_rule(Preset.WEEKDAYS), MONDAY, active=False), MONDAY)
    assert not occurs_on(Rule(build_rule(Preset.WEEKDAYS), MONDAY), MONDAY - timedelta(days=7))


def test_due_on_keeps_the_order_and_takes_recurrence_rows() -> None:
    rows = [
        Recurrence(id=1, rrule=build_rule(Preset.WEEKLY, [1]), starts_on=MONDAY, active=True),
        Recurrence(id=2, rrule=build_rule(Preset.WEEKDAYS), starts_on=MONDAY, active=True),
        Recurrence(id=3, rrule=build_rule(Preset.WEEKLY, [0]), starts_on=MONDAY, active=True),
    ]
    assert [r.id for r in due_on(rows, date(2026, 11, 24))] == [1, 2]
    assert [r.id for r in due_on(rows, date(2026, 11, 25))] == [2]


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "hello",
        "FREQ=HOURLY",
        "BYDAY=MO",
        "FREQ=WEEKLY;BYDAY=XX",
        "FREQ=WEEKLY;INTERVAL=0",
        "FREQ=WEEKLY;INTERVAL=two",
        "FREQ=WEEKLY;FREQ=DAILY",
        "FREQ=MONTHLY;BYMONTHDAY=40",
        "FREQ=DAILY;COUNT=2;UNTIL=20270101",
        "FREQ=DAILY;BYHOUR=8",
        "DTSTART:20261124T000000\nRRULE:FREQ=DAILY",
        "FREQ=DAILY;" + "INTERVAL=1;" * 60,
    ],
)
def test_garbage_is_refused_with_a_reason(garbage: str) -> None:
    with pytest.raises(RecurrenceError) as caught:
        validate_rule(garbage, MONDAY)
    assert str(caught.value)
    with pytest.raises(RecurrenceError):
        occurs_on(Rule(garbage, MONDAY), MONDAY)


def test_stored_forms_are_normalised() -> None:
    assert validate_rule("rrule:freq=weekly; byday=mo", MONDAY) == "FREQ=WEEKLY;BYDAY=MO"
    rule = parse_rule("FREQ=WEEKLY;BYDAY=MO;UNTIL=20261207T225959Z", MONDAY)
    assert [d.date() for d in rule] == [MONDAY, date(2026, 11, 30), date(2026, 12, 7)]


def test_next_working_day_skips_weekends_and_holidays() -> None:
    assert next_working_day(date(2026, 11, 27)) == date(2026, 11, 30)
    assert next_working_day(date(2026, 12, 24)) == date(2026, 12, 28)
    assert next_working_day(date(2026, 12, 31)) == date(2027, 1, 4)  # 1 Jan, then a weekend
    assert next_working_day(date(2027, 1, 5)) == date(2027, 1, 7)


def test_a_stored_rule_is_read_back_as_the_preset_it_was_made_from() -> None:
    from bot.rules.recurrence import preset_of

    for preset, days in (
        (Preset.WEEKDAYS, [0, 1, 2, 3, 4]),
        (Preset.WEEKLY, [0, 3]),
        (Preset.EVERY_OTHER_WEEK, [1]),
        (Preset.ONE_DAY, []),
    ):
        assert preset_of(build_rule(preset, days)) == (preset, days)
    assert preset_of("FREQ=MONTHLY;BYMONTHDAY=1") is None
    assert preset_of("FREQ=WEEKLY;BYDAY=1MO") is None
    assert preset_of("FREQ=WEEKLY;INTERVAL=3;BYDAY=MO") is None


def test_a_pause_covers_its_first_and_last_day() -> None:
    from types import SimpleNamespace

    from bot.rules.recurrence import paused_on

    pause = SimpleNamespace(paused_from=date(2026, 12, 21), paused_until=date(2026, 12, 23))
    assert [paused_on(pause, date(2026, 12, d)) for d in range(20, 25)] == [
        False, True, True, True, False,
    ]  # fmt: skip
    assert not paused_on(SimpleNamespace(paused_from=None, paused_until=None), date(2026, 12, 21))
