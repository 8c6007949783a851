"""What a co-worker sees of their day: the morning list and a task card."""

from __future__ import annotations

from datetime import date, time
from typing import Protocol

from markupsafe import Markup, escape

from bot.i18n import Texts
from bot.rules.help import NO_TASK
from bot.telegram.callbacks import Action, Callback
from bot.telegram.rendered import Button, Rendered
from bot.views.task_card import DONE_MARK, full_instructions, task_card
from storage.models import DayList, ListedTask, Person, PlannedTask, TaskStatus

__all__ = [
    "DONE_MARK",
    "full_instructions",
    "morning_list",
    "no_tasks",
    "old_list",
    "task_added",
    "task_card",
    "task_line",
]

# How a task that is not simply open is marked on the list, and the word that says why.
_MARKS = {
    TaskStatus.NOT_TODAY: ("🌙", "task.not_today"),
    TaskStatus.HELP: ("🙋", "task.help_asked"),
}


def _clock(at: time) -> str:
    return at.strftime("%H:%M")


class Carried(Protocol):
    """What :func:`seen_since` reads of a task (a ``PlannedTask`` and a ``ListedTask`` fit)."""

    @property
    def seen_on(self) -> date | None: ...


def seen_since(task: Carried, day: date) -> date | None:
    """The day of the last list the co-worker had with this task on it, for a task
    carried over to ``day``; ``None`` for a task they have not seen on a list (new, or
    moved away from a draft before it was sent)."""
    seen = task.seen_on
    return seen if seen is not None and seen < day else None


def from_note(t: Texts, since: date, day: date) -> Markup:
    """ "från igår", "från i fredags"."""
    if (day - since).days == 1:
        return t("task.from_yesterday")
    return t(f"task.from_day.{since.weekday()}")


def task_line(t: Texts, number: int, task: ListedTask, day: date | None = None) -> Markup:
    """One short line: "2. Vattna blommorna (ny) kl 10:00"; a task carried over from a
    list the co-worker has had says so ("från igår") and is never called new."""
    notes = []
    since = seen_since(task, day) if day is not None else None
    if since is not None and day is not None:
        notes.append(from_note(t, since, day))
    elif task.first_time and task.status is not TaskStatus.DONE:
        notes.append(t("task.new"))
    if task.with_support:
        notes.append(t("task.with_support"))
    mark = _MARKS.get(task.status)
    if mark is not None:
        notes.append(t(mark[1]))
    line = Markup("{}. {}").format(number, task.title)
    if notes:
        line += Markup(" ({})").format(Markup(", ").join(notes))
    if task.time_of_day:
        line += Markup(" ") + t("task.at_time", time=_clock(task.time_of_day))
    if task.status is TaskStatus.DONE:
        line = Markup("{} <s>{}</s>").format(DONE_MARK, line)
    elif mark is not None:
        line = Markup("{} {}").format(mark[0], line)
    return line


def _list_label(number: int, task: ListedTask) -> str:
    label = f"{number}. {task.title}"
    if task.status is TaskStatus.DONE:
        return f"{DONE_MARK} {label}"
    mark = _MARKS.get(task.status)
    return f"{mark[0]} {label}" if mark is not None else label


def morning_list(t: Texts, person: Person, plan: DayList) -> Rendered:
    lines = [
        t("morning.greeting", name=escape(person.display_name), day=t.day_in_words(plan.day)),
        Markup(),
        t("morning.intro"),
    ]
    lines += [task_line(t, n, task, plan.day) for n, task in enumerate(plan.tasks, start=1)]
    rows = [
        [Button(_list_label(n, task), Callback(Action.OPEN_TASK, task.id))]
        for n, task in enumerate(plan.tasks, start=1)
    ]
    rows.append([Button(t("card.button_help"), Callback(Action.HELP, NO_TASK))])
    if any(task.status is not TaskStatus.DONE for task in plan.tasks):
        lines += [Markup(), t("morning.tap_hint")]
    else:
        lines += [Markup(), t("morning.all_done")]
    return Rendered(Markup("\n").join(lines), rows)


def no_tasks(t: Texts, day: date) -> Rendered:
    return Rendered(
        t("today.nothing", day=t.day_in_words(day)),
        [[Button(t("card.button_help"), Callback(Action.HELP, NO_TASK))]],
    )


def task_added(t: Texts, task: PlannedTask, added_by: Person | None) -> Rendered:
    """The note a co-worker gets when a task is added to today's list after it was sent."""
    title = escape(task.template.title)
    if task.time_of_day:
        title += " " + t("task.at_time", time=_clock(task.time_of_day))
    text = (
        t("added.by_someone", name=escape(added_by.display_name), title=title)
        if added_by is not None
        else t("added.new_task", title=title)
    )
    return Rendered(text, [[Button(t("added.open"), Callback(Action.OPEN_TASK, task.id))]])


def old_list(t: Texts) -> Rendered:
    return Rendered(t("task.old_list"), [[Button(t("button.today"), Callback(Action.TODAY))]])
