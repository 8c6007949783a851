"""What a co-worker sees of their day: the morning list and a task card."""

from __future__ import annotations

from datetime import date, time
from html import escape

from bot.callbacks import Action, Callback
from bot.i18n import Texts
from bot.views.rendered import Button, Rendered
from storage.models import DayPlan, Person, PlannedTask, TaskStatus, TaskTemplate

DONE_MARK = "✅"


def _clock(at: time) -> str:
    return at.strftime("%H:%M")


def task_line(t: Texts, number: int, task: PlannedTask) -> str:
    """One short line: "2. Vattna blommorna (ny) kl 10:00"."""
    notes = []
    if task.first_time and task.status is not TaskStatus.DONE:
        notes.append(t("task.new"))
    if task.with_support:
        notes.append(t("task.with_support"))
    line = f"{number}. {escape(task.template.title)}"
    if notes:
        line += f" ({', '.join(notes)})"
    if task.time_of_day:
        line += " " + t("task.at_time", time=_clock(task.time_of_day))
    if task.status is TaskStatus.DONE:
        line = f"{DONE_MARK} <s>{line}</s>"
    return line


def morning_list(t: Texts, person: Person, plan: DayPlan) -> Rendered:
    lines = [
        t("morning.greeting", name=escape(person.display_name), day=t.day_in_words(plan.day)),
        "",
        t("morning.intro"),
    ]
    lines += [task_line(t, n, task) for n, task in enumerate(plan.tasks, start=1)]
    rows = [
        [
            Button(
                f"{DONE_MARK} {n}. {task.template.title}"
                if task.status is TaskStatus.DONE
                else f"{n}. {task.template.title}",
                Callback(Action.OPEN_TASK, task.id),
            )
        ]
        for n, task in enumerate(plan.tasks, start=1)
    ]
    if any(task.status is not TaskStatus.DONE for task in plan.tasks):
        lines += ["", t("morning.tap_hint")]
    else:
        lines += ["", t("morning.all_done")]
    return Rendered("\n".join(lines), rows)


def no_tasks(t: Texts, day: date) -> Rendered:
    return Rendered(t("today.nothing", day=t.day_in_words(day)))


def full_instructions(t: Texts, template: TaskTemplate) -> list[str]:
    """Everything the method asks for the first time: what, why, and every step."""
    lines = [f"<b>{escape(template.title)}</b>"]
    if template.instructions:
        lines += ["", escape(template.instructions)]
    if template.goal:
        lines += ["", t("card.goal", goal=escape(template.goal))]
    if template.steps:
        lines += ["", t("card.steps")]
        lines += [f"{s.position}. {escape(s.text)}" for s in template.steps]
    return lines


def task_card(t: Texts, task: PlannedTask) -> Rendered:
    """A first-time task shows what to do, why, and every step; a familiar one is short."""
    template = task.template
    if task.first_time:
        lines = full_instructions(t, template)
    else:
        lines = [f"<b>{escape(template.title)}</b>"]
        lines.append(t("card.minutes", minutes=template.expected_minutes))
    if task.with_support:
        lines += ["", t("card.with_support")]
    if task.status is TaskStatus.DONE:
        lines += ["", f"{DONE_MARK} {t('card.done')}"]
        return Rendered("\n".join(lines))
    return Rendered("\n".join(lines), [[Button(t("button.done"), Callback(Action.DONE, task.id))]])


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
