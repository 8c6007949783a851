"""Reminders of a task, and the "Later" choices: short, kind, one thing at a time."""

from __future__ import annotations

from datetime import time

from markupsafe import Markup, escape

from bot.i18n import Texts
from bot.telegram.callbacks import Action, Callback, Snooze
from bot.telegram.rendered import Button, Rendered
from storage.models import PlannedTask, ReminderKind

SNOOZE_CHOICES = (15, 30, 60)


def _clock(at: time) -> str:
    return at.strftime("%H:%M")


def open_button(t: Texts, task_id: int) -> Button:
    return Button(t("reminder.button.open"), Callback(Action.OPEN_TASK, task_id))


def reminder_message(
    t: Texts,
    task: PlannedTask,
    *,
    kind: ReminderKind,
    repeat: bool,
    minutes_left: int | None = None,
) -> Rendered:
    """ "Nu är det dags: Vattna blommorna." with [Visa uppgiften] [✅ Klar] [⏰ Senare]."""
    title = escape(task.template.title)
    if repeat:
        text = t("reminder.repeat", title=title)
    elif kind is ReminderKind.HEADS_UP and minutes_left is not None and task.time_of_day:
        text = t(
            "reminder.heads_up", minutes=minutes_left, time=_clock(task.time_of_day), title=title
        )
    elif kind is ReminderKind.SNOOZE:
        text = t("reminder.snooze", title=title)
    else:
        text = t("reminder.due", title=title)
    rows = [
        [open_button(t, task.id)],
        [
            Button(t("button.done"), Callback(Action.DONE, task.id)),
            Button(t("reminder.button.later"), Callback(Action.LATER, task.id)),
        ],
    ]
    return Rendered(text, rows)


def later_choices(t: Texts, task_id: int) -> Rendered:
    """The buttons a pressed "Later" turns into (the message's text stays as it is)."""
    labels = {
        minutes: t("reminder.later.hour")
        if minutes == 60
        else t("reminder.later.minutes", minutes=minutes)
        for minutes in SNOOZE_CHOICES
    }
    return Rendered(
        Markup(),
        [[Button(labels[m], Snooze(task_id, m).callback()) for m in SNOOZE_CHOICES]],
    )


def snoozed(t: Texts, task_id: int, at: time) -> Rendered:
    return Rendered(t("reminder.snoozed", time=_clock(at)), [[open_button(t, task_id)]])


def no_more_today(t: Texts, task_id: int) -> Rendered:
    return Rendered(t("reminder.snoozed_quiet"), [[open_button(t, task_id)]])
