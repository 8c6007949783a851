"""A co-worker's stamina as the support person sees and chooses it (under their list):
the usual stamina, and a weekday's own (e.g. lighter on Mondays)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from babel.dates import get_day_names
from markupsafe import Markup, escape

from bot.i18n import Texts
from bot.rules.capacity import HIGHEST, LOWEST
from bot.telegram.callbacks import Action, Callback, CapacitySet, CoworkerDay, WeekdayCapacity
from bot.telegram.rendered import Button, Rendered
from bot.views.planning import capacity_words
from storage.models import Person

PER_ROW = 3
BACK = 0  # CAPACITY_SET's points meaning "no change, back to the list"
# A CAPACITY_WEEKDAY choice: SHOW opens the weekday's chooser, 1-12 are points, USUAL
# lets the weekday follow the usual stamina again.
SHOW, USUAL = 0, 13


def _day(coworker: Person, day: date) -> CoworkerDay:
    return CoworkerDay(coworker.id, day.toordinal())


def own_weekdays(coworker: Person) -> dict[int, int]:
    """The weekdays (0 is Monday) with a stamina of their own, and that stamina."""
    days = coworker.weekday_capacity or []
    return {weekday: points for weekday, points in enumerate(days[:7]) if points is not None}


def weekday_lines(t: Texts, coworker: Person) -> list[Markup]:
    """ "måndag: lätt dag (3)", one line a weekday with its own stamina."""
    names = get_day_names("wide", locale=t.language)
    return [
        t(
            "capacity.weekday_line",
            day=names[weekday],
            words=capacity_words(t, points),
            points=points,
        )
        for weekday, points in own_weekdays(coworker).items()
    ]


def capacity_button(t: Texts, coworker: Person, day: date) -> Button:
    """ "💪 Ork: vanlig dag (6)" under the co-worker's list for ``day`` (that weekday's
    own stamina, when it has one: "💪 Ork på måndagar: lätt dag (3)")."""
    points = coworker.capacity_on(day)
    words = capacity_words(t, points)
    if day.weekday() in own_weekdays(coworker):
        name = get_day_names("wide", locale=t.language)[day.weekday()]
        label = t("capacity.button_weekday", day=name, words=words, points=points)
    else:
        label = t("capacity.button", words=words, points=points)
    return Button(label, _day(coworker, day).callback(Action.CAPACITY))


def _point_rows(
    t: Texts, chosen: int | None, callback: Callable[[int], Callback]
) -> list[list[Button]]:
    buttons = [
        Button(
            ("• " if points == chosen else "")
            + t("capacity.choice", points=points, words=capacity_words(t, points)),
            callback(points),
        )
        for points in range(LOWEST, HIGHEST + 1)
    ]
    return [buttons[i : i + PER_ROW] for i in range(0, len(buttons), PER_ROW)]


def capacity_picker(t: Texts, coworker: Person, day: date) -> Rendered:
    """The usual stamina to choose, then a weekday to give a stamina of its own."""
    shown = _day(coworker, day)
    rows = _point_rows(t, coworker.capacity, lambda p: CapacitySet(shown, p).callback())
    names = get_day_names("abbreviated", locale=t.language)
    own = own_weekdays(coworker)
    days = [
        Button(
            f"{names[weekday]} {own[weekday]}" if weekday in own else names[weekday],
            WeekdayCapacity(shown, weekday, SHOW).callback(),
        )
        for weekday in range(7)
    ]
    rows += [days[:4], days[4:]]
    rows.append([Button(t("review.back"), CapacitySet(shown, BACK).callback())])
    text = t(
        "capacity.question",
        name=escape(coworker.display_name),
        words=capacity_words(t, coworker.capacity),
        points=coworker.capacity,
    )
    lines = [
        text,
        *weekday_lines(t, coworker),
        t("capacity.weekday_hint", name=escape(coworker.display_name)),
    ]
    return Rendered(Markup("\n").join(lines), rows)


def weekday_picker(t: Texts, coworker: Person, day: date, weekday: int) -> Rendered:
    """One weekday's own stamina to choose, or "as other days"."""
    own = own_weekdays(coworker).get(weekday)
    rows = _point_rows(
        t,
        own,
        lambda p: WeekdayCapacity(_day(coworker, day), weekday, p).callback(),
    )
    usual = WeekdayCapacity(_day(coworker, day), weekday, USUAL).callback()
    rows.append([Button(("• " if own is None else "") + t("capacity.as_other_days"), usual)])
    rows.append([Button(t("review.back"), _day(coworker, day).callback(Action.CAPACITY))])
    name = get_day_names("wide", locale=t.language)[weekday]
    text = t(
        "capacity.weekday_question",
        name=escape(coworker.display_name),
        day=name,
        words=capacity_words(t, coworker.capacity),
        points=coworker.capacity,
    )
    return Rendered(text, rows)
