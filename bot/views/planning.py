"""The planning lines a support person reads: waiting, deferral, the day's load."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from markupsafe import Markup, escape

from bot.i18n import Texts
from bot.rules.placement import DeferReason
from bot.rules.projection import ProjectedDay, ProjectedTask
from bot.rules.waiting import days_waited
from bot.views.morning import from_note, seen_since
from storage.models import PlannedTask, TaskStatus

# Capacity in plain words: up to LIGHT a light day, up to USUAL a usual one, above a full one.
LIGHT_DAY, USUAL_DAY = 3, 6


def waited_line(t: Texts, task: PlannedTask, on: date) -> Markup | None:
    """ "Has waited 3 days" for a carried task, else ``None``."""
    days = days_waited(task, on)
    if days <= 0:
        return None
    if days == 1:
        return t("planning.waited_one")
    return t("planning.waited_many", days=days)


def deferral_line(t: Texts, title: str, reason: str, to_day: date) -> Markup:
    """Why a task is not on the day, and where it went, for the support person."""
    text = {
        DeferReason.CAPACITY.value: t("planning.deferred_capacity"),
        DeferReason.TOO_HEAVY.value: t("planning.deferred_too_heavy"),
        DeferReason.BALANCE.value: t("planning.deferred_balance"),
    }.get(reason, t("planning.deferred_other"))
    return t("planning.deferred_line", title=title, day=t.day_in_words(to_day), reason=text)


def over_capacity_line(t: Texts, title: str, strain: int, capacity: int) -> Markup:
    return t("planning.over_capacity", title=title, strain=strain, capacity=capacity)


def capacity_words(t: Texts, capacity: int) -> Markup:
    """ "lätt dag", "vanlig dag" or "full dag" for a capacity in stamina points."""
    if capacity <= LIGHT_DAY:
        return t("capacity.light")
    if capacity <= USUAL_DAY:
        return t("capacity.usual")
    return t("capacity.full")


def load_lines(t: Texts, name: str, tasks: Sequence[PlannedTask], capacity: int) -> list[Markup]:
    """The day's weight against the co-worker's capacity, and a word when it is more."""
    on_day = [task for task in tasks if task.status is not TaskStatus.CARRIED_OVER]
    return weight_lines(
        t, name, [(task.template.title, task.template.strain) for task in on_day], capacity
    )


def weight_lines(
    t: Texts, name: str, on_day: Sequence[tuple[str, int]], capacity: int
) -> list[Markup]:
    """:func:`load_lines` for (title, strain) pairs."""
    strain = sum(weight for _, weight in on_day)
    lines = [
        t("capacity.load", words=capacity_words(t, capacity), capacity=capacity, strain=strain)
    ]
    if strain <= capacity or not on_day:
        return lines
    if len(on_day) == 1:
        title = escape(on_day[0][0])
        lines.append(over_capacity_line(t, title, strain, capacity))
    else:
        lines.append(t("capacity.overbooked", name=escape(name), strain=strain, capacity=capacity))
    return lines


def projected_line(t: Texts, number: int, task: ProjectedTask, day: date) -> Markup:
    """A line of a day not drafted yet, as :func:`bot.views.morning.task_line` would say it."""
    since = seen_since(task, day)
    if since is not None:
        notes = [from_note(t, since, day)]
    else:
        notes = [t("task.new")] if task.first_time else []
    if task.with_support:
        notes.append(t("task.with_support"))
    line = Markup("{}. {}").format(number, task.title)
    if notes:
        line += Markup(" ({})").format(Markup(", ").join(notes))
    if task.at is not None:
        line += Markup(" ") + t("task.at_time", time=task.at.strftime("%H:%M"))
    return line


def projected_lines(t: Texts, name: str, day: ProjectedDay, capacity: int) -> list[Markup]:
    """A day not drafted yet: its tasks, what would move away, its weight, and a word
    that it is not final."""
    lines = [projected_line(t, n, task, day.day) for n, task in enumerate(day.tasks, start=1)]
    if not lines:
        lines.append(t("review.no_tasks"))
    lines += [
        deferral_line(t, escape(moved.title), moved.reason, moved.to_day) for moved in day.deferred
    ]
    lines += weight_lines(t, name, [(task.title, task.strain) for task in day.tasks], capacity)
    lines.append(t("planning.not_final"))
    return lines
