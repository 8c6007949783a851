"""A co-worker's stamina as the support person sees and chooses it (under their list)."""

from __future__ import annotations

from datetime import date

from markupsafe import escape

from bot.callbacks import DAY_FACTOR, Action, Callback
from bot.i18n import Texts
from bot.services.capacity import HIGHEST, LOWEST
from bot.views.planning import capacity_words
from bot.views.rendered import Button, Rendered
from storage.models import Person

PER_ROW = 3
BACK = 0  # CAPACITY_SET's points meaning "no change, back to the list"


def _day_target(coworker: Person, day: date) -> int:
    return coworker.id * DAY_FACTOR + day.toordinal()


def capacity_button(t: Texts, coworker: Person, day: date) -> Button:
    """ "💪 Ork: vanlig dag (6)", under the co-worker's list for ``day``."""
    label = t(
        "capacity.button", words=capacity_words(t, coworker.capacity), points=coworker.capacity
    )
    return Button(label, Callback(Action.CAPACITY, _day_target(coworker, day)))


def capacity_picker(t: Texts, coworker: Person, day: date) -> Rendered:
    target = _day_target(coworker, day) * 100
    buttons = [
        Button(
            ("• " if points == coworker.capacity else "")
            + t("capacity.choice", points=points, words=capacity_words(t, points)),
            Callback(Action.CAPACITY_SET, target + points),
        )
        for points in range(LOWEST, HIGHEST + 1)
    ]
    rows = [buttons[i : i + PER_ROW] for i in range(0, len(buttons), PER_ROW)]
    rows.append([Button(t("review.back"), Callback(Action.CAPACITY_SET, target + BACK))])
    text = t(
        "capacity.question",
        name=escape(coworker.display_name),
        words=capacity_words(t, coworker.capacity),
        points=coworker.capacity,
    )
    return Rendered(text, rows)
