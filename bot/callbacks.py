"""Inline-button data: short, versionless strings like ``d:42``.

Only what the button is about travels in it; who is pressing always comes from
the update's sender, and every handler checks they may act on it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Action(enum.StrEnum):
    OPEN_TASK = "o"
    DONE = "d"
    TODAY = "t"
    LANGUAGE = "l"  # target: index in bot.i18n.LANGUAGES
    MORNING = "m"  # target: minutes after midnight
    INVITE_ROLE = "r"  # target: index in bot.services.invites.INVITABLE
    INVITE_GROUP = "g"  # target: group id
    CONTACT_COWORKER = "c"  # target: the co-worker's person id
    CONTACT_PRIMARY = "p"  # target: a support person's id
    CONTACT_SECONDARY = "s"  # target: a support person's id
    NEW_TASK = "n"  # target: a bot.views.new_task.Choice
    GROUP_OPEN = "a"  # target: group id
    GROUP_MENU = "b"  # target: a bot.views.groups.Menu
    GROUP_PERSON = "e"  # target: a person id
    REVIEW_COWORKER = "P"  # target: the co-worker's id
    REVIEW_DAY = "D"  # target: co-worker id * 100 + days from today
    REVIEW_UP = "U"  # target: planned task id
    REVIEW_DOWN = "W"  # target: planned task id
    REVIEW_REMOVE = "X"  # target: planned task id
    REVIEW_APPROVE = "Y"  # target: day plan id


@dataclass(frozen=True)
class Callback:
    action: Action
    target: int | None = None

    def encode(self) -> str:
        return self.action.value if self.target is None else f"{self.action.value}:{self.target}"


def decode(data: str | None) -> Callback | None:
    """The callback in ``data``, or None when it is not one of ours (stale or forged)."""
    if not data or len(data) > 64:
        return None
    head, _, tail = data.partition(":")
    try:
        action = Action(head)
    except ValueError:
        return None
    if not tail:
        return Callback(action)
    if not tail.isdigit() or len(tail) > 18:
        return None
    return Callback(action, int(tail))
