"""Button data: every action has its own code, so one button can never be read as another."""

from __future__ import annotations

from bot.callbacks import Action, Callback, decode


def test_no_two_actions_share_a_code() -> None:
    # An Enum member with a value already taken becomes a silent alias of the first:
    # its buttons would be handled as the other action.
    codes = [member.value for member in Action.__members__.values()]
    assert len(codes) == len(set(codes)), sorted(c for c in codes if codes.count(c) > 1)


def test_every_action_survives_a_round_trip() -> None:
    for action in Action:
        assert decode(Callback(action, 42).encode()) == Callback(action, 42)
