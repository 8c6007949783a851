"""The steps of adding a task to a co-worker's days (``/add``, or ➕ in a review)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time

from babel.dates import get_day_names
from markupsafe import Markup, escape

from bot.i18n import Texts
from bot.rules.recurrence import Preset
from bot.telegram.callbacks import Action, Callback
from bot.telegram.rendered import Button, Rendered
from bot.views.review import DAYS_PER_ROW, clock, day_buttons, in_rows, time_rows
from storage.models import Person, TaskTemplate

OFTEN = (Preset.ONE_DAY, Preset.WEEKDAYS, Preset.WEEKLY, Preset.EVERY_OTHER_WEEK)
WEEKDAYS_DONE = 7  # the ADD_WEEKDAY target of the "done" button


def which_task(t: Texts, coworker: Person, suggestions: Sequence[TaskTemplate]) -> Rendered:
    return Rendered(
        t("add.which_task", name=escape(coworker.display_name)), _task_rows(suggestions)
    )


def matches(t: Texts, typed: str, found: Sequence[TaskTemplate]) -> Rendered:
    if not found:
        return Rendered(t("add.no_match", typed=escape(typed)))
    return Rendered(t("add.matches", typed=escape(typed)), _task_rows(found))


def _task_rows(templates: Sequence[TaskTemplate]) -> list[list[Button]]:
    return [[Button(tpl.title, Callback(Action.ADD_PICK, tpl.id))] for tpl in templates]


def how_often(t: Texts, title: str) -> Rendered:
    return Rendered(
        t("add.how_often", title=escape(title)),
        [
            [Button(t(f"add.often.{p.value}"), Callback(Action.ADD_OFTEN, i))]
            for i, p in enumerate(OFTEN)
        ],
    )


def which_day(t: Texts, today: date, days: int) -> Rendered:
    buttons = day_buttons(t, today, days, lambda n: Callback(Action.ADD_DAY, n))
    return Rendered(t("add.which_day"), in_rows(buttons, DAYS_PER_ROW))


def which_weekdays(t: Texts, chosen: Sequence[int]) -> Rendered:
    names = get_day_names("abbreviated", locale=t.language)
    buttons = [
        Button(f"{'☑' if day in chosen else '☐'} {names[day]}", Callback(Action.ADD_WEEKDAY, day))
        for day in range(7)
    ]
    done = Button(t("add.weekdays_done"), Callback(Action.ADD_WEEKDAY, WEEKDAYS_DONE))
    return Rendered(t("add.which_weekdays"), [buttons[:4], buttons[4:], [done]])


def which_time(t: Texts) -> Rendered:
    return Rendered(t("add.which_time"), time_rows(t, lambda m: Callback(Action.ADD_TIME, m)))


def _at(t: Texts, at: time | None) -> str:
    return " " + t("task.at_time", time=clock(at)) if at else ""


def added_once(
    t: Texts, coworker: Person, title: str, day: date, at: time | None, told: bool
) -> Rendered:
    text = t(
        "add.saved_once",
        title=escape(title),
        name=escape(coworker.display_name),
        day=t.day_in_words(day),
        at=_at(t, at),
    )
    if told:
        text += "\n" + t("add.told", name=escape(coworker.display_name))
    return Rendered(text)


def added_repeat(
    t: Texts,
    coworker: Person,
    title: str,
    preset: Preset,
    weekdays: Sequence[int],
    at: time | None,
) -> Rendered:
    return Rendered(
        t(
            "add.saved_repeat",
            title=escape(title),
            name=escape(coworker.display_name),
            when=rule_in_words(t, preset, weekdays),
            at=_at(t, at),
        )
    )


def rule_in_words(t: Texts, preset: Preset, weekdays: Sequence[int]) -> Markup:
    """ "every weekday", "on Mondays and Thursdays", "every other week on Mondays"."""
    if preset is Preset.WEEKDAYS:
        return t("add.rule.weekdays")
    names = get_day_names("wide", locale=t.language)
    days = [names[d] for d in sorted(weekdays)]
    listed = days[0] if len(days) == 1 else t("add.and", first=", ".join(days[:-1]), last=days[-1])
    key = "add.rule.every_other_week" if preset is Preset.EVERY_OTHER_WEEK else "add.rule.weekly"
    return t(key, days=listed)
