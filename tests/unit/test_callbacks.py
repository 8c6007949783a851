"""Button data: every action has its own code, so one button can never be read as another."""

from __future__ import annotations

from datetime import date

from bot.telegram.callbacks import DAY_FACTOR, TIME_FACTOR, Action, Callback, decode


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
