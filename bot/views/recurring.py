"""A co-worker's recurring tasks as a support person manages them (``/repeat``), and
the one-line description the command line prints too."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import date

from babel.dates import get_day_names
from markupsafe import Markup, escape

from bot.i18n import Texts, plain
from bot.rules.recurrence import Preset, preset_of
from bot.rules.repeating import Repeating
from bot.telegram.callbacks import Action, Callback, RepeatDays, RepeatOp, RepeatTime
from bot.telegram.rendered import Button, Rendered
from bot.views.add_task import rule_in_words
from bot.views.review import choose_coworker, clock, time_rows
from storage.models import Person

PAUSE_WEEKS = {1: 1, 2: 2, 3: 4}  # Op value: weeks paused from today


class Op(enum.IntEnum):
    SHOW = 0
    PAUSE_1 = 1
    PAUSE_2 = 2
    PAUSE_4 = 3
    RESUME = 4
    ASK_END = 5
    END = 6
    DAYS = 7
    TIME = 8


def _short(day: date) -> str:
    return f"{day.day}/{day.month}"


def describe(t: Texts, each: Repeating, today: date) -> Markup:
    """ "Vattna blommorna: varje måndag och torsdag kl 09:00 (pausad 21/12–3/1)"."""
    rule = each.recurrence
    shape = preset_of(rule.rrule)
    if shape is None:
        when = t("repeat.own_rule", rule=rule.rrule)
    elif shape[0] is Preset.ONE_DAY:
        when = t("repeat.one_day", day=_short(rule.starts_on))
    else:
        when = rule_in_words(t, *shape)
    line = Markup("{}: {}").format(each.template.title, when)
    if rule.time_of_day is not None:
        line += Markup(" ") + t("task.at_time", time=clock(rule.time_of_day))
    if rule.paused_from and rule.paused_until and rule.paused_until >= today:
        line += Markup(" ") + t(
            "repeat.paused", first=_short(rule.paused_from), last=_short(rule.paused_until)
        )
    return line


def repeating_line(t: Texts, each: Repeating, today: date) -> str:
    """The command line's line, as plain text: ``#3 Vattna blommorna: …``."""
    return plain(Markup("#{} {}").format(each.recurrence.id, describe(t, each, today)))


def _op(each: Repeating, op: Op) -> Callback:
    return RepeatOp(each.recurrence.id, op).callback()


def which_coworker(t: Texts, coworkers: list[Person]) -> Rendered:
    return choose_coworker(t, coworkers, Action.REPEAT_LIST, "repeat.which_coworker")


def repeats(t: Texts, coworker: Person, found: Sequence[Repeating], today: date) -> Rendered:
    name = escape(coworker.display_name)
    if not found:
        return Rendered(t("repeat.none", name=name))
    lines = [t("repeat.title", name=name), ""]
    lines += [
        Markup("{}. {}").format(n, describe(t, each, today)) for n, each in enumerate(found, 1)
    ]
    rows = [
        [Button(f"{n}. {each.template.title}", _op(each, Op.SHOW))]
        for n, each in enumerate(found, 1)
    ]
    return Rendered(Markup("\n").join(lines), rows)


def repeat(t: Texts, coworker: Person, each: Repeating, today: date) -> Rendered:
    text = t(
        "repeat.one",
        name=escape(coworker.display_name),
        line=describe(t, each, today),
    )
    rule = each.recurrence
    if rule.paused_until is not None and rule.paused_until >= today:
        pause_row = [Button(t("repeat.resume"), _op(each, Op.RESUME))]
    else:
        pause_row = [
            Button(t("repeat.pause", weeks=weeks), _op(each, Op(op)))
            for op, weeks in PAUSE_WEEKS.items()
        ]
    changeable = (shape := preset_of(rule.rrule)) is not None and shape[0] is not Preset.ONE_DAY
    change_row = [Button(t("repeat.change_time"), _op(each, Op.TIME))]
    if changeable:
        change_row.insert(0, Button(t("repeat.change_days"), _op(each, Op.DAYS)))
    rows = [
        pause_row,
        change_row,
        [Button(t("repeat.end"), _op(each, Op.ASK_END))],
        [Button(t("review.back"), Callback(Action.REPEAT_LIST, coworker.id))],
    ]
    return Rendered(text, rows)


def confirm_end(t: Texts, coworker: Person, each: Repeating) -> Rendered:
    text = t(
        "repeat.end_question",
        title=escape(each.template.title),
        name=escape(coworker.display_name),
    )
    return Rendered(
        text,
        [
            [Button(t("repeat.end_yes"), _op(each, Op.END))],
            [Button(t("review.back"), _op(each, Op.SHOW))],
        ],
    )


def day_picker(t: Texts, each: Repeating, chosen: int) -> Rendered:
    """The weekdays as toggles (``chosen``: a bitmask, Monday = 1) and "save"."""
    names = get_day_names("abbreviated", locale=t.language)
    recurrence_id = each.recurrence.id
    toggles = [
        Button(
            ("☑ " if chosen & (1 << d) else "☐ ") + names[d],
            RepeatDays(recurrence_id, chosen ^ (1 << d)).callback(),
        )
        for d in range(7)
    ]
    rows = [toggles[:4], toggles[4:]]
    save = RepeatDays(recurrence_id, chosen, save=True).callback()
    rows.append([Button(t("repeat.save_days"), save)])
    rows.append([Button(t("review.back"), _op(each, Op.SHOW))])
    return Rendered(t("repeat.which_days", title=escape(each.template.title)), rows)


def mask_of(weekdays: Sequence[int]) -> int:
    return sum(1 << d for d in set(weekdays))


def days_of(mask: int) -> list[int]:
    return [d for d in range(7) if mask & (1 << d)]


def time_picker(t: Texts, each: Repeating) -> Rendered:
    def target(minutes: int) -> Callback:
        return RepeatTime(each.recurrence.id, minutes).callback()

    rows = time_rows(t, target)
    rows.append([Button(t("review.back"), _op(each, Op.SHOW))])
    return Rendered(t("review.which_time", title=escape(each.template.title)), rows)
