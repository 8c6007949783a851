"""Button data: every action has its own code, so one button can never be read as another."""

from __future__ import annotations

from datetime import date

from bot.telegram.callbacks import (
    DAY_FACTOR,
    TIME_FACTOR,
    Action,
    Callback,
    CapacitySet,
    CoworkerDay,
    NotTodayReason,
    RepeatDays,
    RepeatOp,
    RepeatTime,
    ReviewDay,
    ReviewTime,
    Snooze,
    TickStep,
    WeekdayCapacity,
    decode,
)


def test_no_two_actions_share_a_code() -> None:
    # An Enum member with a value already taken becomes a silent alias of the first:
    # its buttons would be handled as the other action.
    codes = [member.value for member in Action.__members__.values()]
    assert len(codes) == len(set(codes)), sorted(c for c in codes if codes.count(c) > 1)


def test_every_action_survives_a_round_trip() -> None:
    for action in Action:
        assert decode(Callback(action, 42).encode()) == Callback(action, 42)


def test_a_packed_target_of_a_real_id_is_not_taken_for_a_forged_one() -> None:
    # Ids in the tens of thousands, packed with a day, a time or a choice, make targets
    # far beyond 32 bits; only the id part must fit the column.
    person = recurrence = 50_000
    day = date(2026, 11, 24).toordinal()
    packed = {
        Action.REVIEW_ADD: person * DAY_FACTOR + day,
        Action.CAPACITY: person * DAY_FACTOR + day,
        Action.CAPACITY_SET: (person * DAY_FACTOR + day) * 100 + 6,
        Action.CAPACITY_WEEKDAY: (person * DAY_FACTOR + day) * 100 + 6 * 14 + 13,
        Action.REPEAT: recurrence * 100 + 3,
        Action.REPEAT_DAYS: recurrence * 256 + 128 + 0b11111,
        Action.REPEAT_TIME: recurrence * TIME_FACTOR + 9 * 60,
    }
    for action, target in packed.items():
        assert decode(Callback(action, target).encode()) == Callback(action, target), action


def test_the_typed_buttons_pack_as_they_always_did() -> None:
    # Buttons already in people's chats must keep working: the same string on the wire.
    day = CoworkerDay(7, date(2026, 11, 24).toordinal())
    wire = {
        ReviewDay(7, 3): f"D:{7 * 100 + 3}",
        TickStep(42, 2): f"x:{42 * 100 + 2}",
        NotTodayReason(42, 1): f"z:{42 * 10 + 1}",
        Snooze(42, 30): f"u:{42 * 1000 + 30}",
        ReviewTime(42, 9 * 60): f"Q:{42 * TIME_FACTOR + 540}",
        CapacitySet(day, 6): f"M:{day.target * 100 + 6}",
        WeekdayCapacity(day, 6, 13): f"9:{day.target * 100 + 6 * 14 + 13}",
        RepeatOp(5, 3): f"T:{5 * 100 + 3}",
        RepeatDays(5, 0b11111, save=True): f"L:{5 * 256 + 128 + 0b11111}",
        RepeatTime(5, 9 * 60): f"1:{5 * TIME_FACTOR + 540}",
    }
    for typed, data in wire.items():
        callback = typed.callback()
        assert callback.encode() == data
        assert callback.target is not None and type(typed).decode(callback.target) == typed
    assert day.callback(Action.REVIEW_ADD).encode() == f"A:{7 * DAY_FACTOR + day.ordinal}"
    assert CoworkerDay.decode(day.target) == day
