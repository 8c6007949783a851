"""A co-worker's list as the support person reviews it, with its buttons."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time, timedelta

from babel.dates import format_date
from markupsafe import Markup, escape

from bot.i18n import Texts
from bot.rules.review import Review
from bot.telegram.callbacks import NO_TIME, Action, Callback, CoworkerDay, ReviewDay, ReviewTime
from bot.telegram.rendered import Button, Rendered
from bot.views import planning as planning_lines
from bot.views.capacity import capacity_button
from bot.views.morning import task_line
from storage.models import ListedTask, Person, PlannedTask, PlanStatus

DAYS_PER_ROW = 4
TIMES_PER_ROW = 4
# The times a support person can pick with one press: every half hour of a working day.
TIME_CHOICES = tuple(time(hour, minute) for hour in range(7, 17) for minute in (0, 30))


def in_rows(buttons: list[Button], per_row: int) -> list[list[Button]]:
    return [buttons[i : i + per_row] for i in range(0, len(buttons), per_row)]


def choose_coworker(
    t: Texts,
    coworkers: list[Person],
    action: Action = Action.REVIEW_COWORKER,
    question: str = "review.which_coworker",
) -> Rendered:
    if not coworkers:
        return Rendered(t("contacts.no_coworkers"))
    return Rendered(
        t(question),
        [[Button(p.display_name, Callback(action, p.id))] for p in coworkers],
    )


def day_buttons(
    t: Texts, today: date, days: int, target: Callable[[int], Callback]
) -> list[Button]:
    """One button a day from today, "tis 24/11"; ``target`` makes the callback of day n."""
    return [
        Button(format_date(today + timedelta(days=n), "EEE d/M", locale=t.language), target(n))
        for n in range(days)
    ]


def choose_day(t: Texts, coworker: Person, today: date, days: int) -> Rendered:
    buttons = day_buttons(t, today, days, lambda n: ReviewDay(coworker.id, n).callback())
    return Rendered(
        t("review.which_day", name=escape(coworker.display_name)), in_rows(buttons, DAYS_PER_ROW)
    )


def clock(at: time) -> str:
    return at.strftime("%H:%M")


def time_rows(t: Texts, target: Callable[[int], Callback]) -> list[list[Button]]:
    """The half-hour buttons and "no set time"; ``target`` makes the callback of a minute
    of the day (or NO_TIME)."""
    buttons = [Button(clock(at), target(at.hour * 60 + at.minute)) for at in TIME_CHOICES]
    return [*in_rows(buttons, TIMES_PER_ROW), [Button(t("review.no_time"), target(NO_TIME))]]


def time_picker(t: Texts, task: PlannedTask) -> Rendered:
    def target(minutes: int) -> Callback:
        return ReviewTime(task.id, minutes).callback()

    rows = time_rows(t, target)
    rows.append([Button(t("review.back"), Callback(Action.REVIEW_SHOW, task.day_plan_id))])
    return Rendered(t("review.which_time", title=escape(task.template.title)), rows)


def review_view(t: Texts, review: Review) -> Rendered:
    plan = review.plan
    status = plan.status.value if plan else "projected"
    lines = [
        t(
            "review.header",
            name=escape(review.coworker.display_name),
            day=t.day_in_words(review.day),
            status=t(f"plan.status.{status}"),
        ),
        Markup(),
    ]
    tasks = list(plan.tasks) if plan else []
    capacity = review.coworker.capacity_on(review.day)  # the weekday's own, if set
    if plan is None and review.projected is not None:
        name = review.coworker.display_name
        lines += planning_lines.projected_lines(t, name, review.projected, capacity)
        return Rendered(Markup("\n").join(lines), _general_rows(t, review))
    for number, task in enumerate(tasks, start=1):
        line = task_line(t, number, ListedTask.of(task), review.day)
        waited = planning_lines.waited_line(t, task, review.day)
        lines.append(Markup("{} – {}").format(line, waited) if waited else line)
    if not tasks:
        lines.append(t("review.no_tasks"))
    for task, moved_to in review.deferred:
        reason = task.deferred_reason or ""
        lines.append(planning_lines.deferral_line(t, escape(task.template.title), reason, moved_to))
    lines += planning_lines.load_lines(t, review.coworker.display_name, tasks, capacity)
    rows: list[list[Button]] = []
    if plan is not None and plan.status is not PlanStatus.SENT:
        rows += [_task_buttons(number, task) for number, task in enumerate(tasks, start=1)]
    rows += _general_rows(t, review)
    if plan is not None and plan.status is PlanStatus.DRAFT and tasks:
        rows.append([Button(t("review.approve"), Callback(Action.REVIEW_APPROVE, plan.id))])
    return Rendered(Markup("\n").join(lines), rows)


def _general_rows(t: Texts, review: Review) -> list[list[Button]]:
    """Add a task, and the co-worker's stamina."""
    add = CoworkerDay(review.coworker.id, review.day.toordinal()).callback(Action.REVIEW_ADD)
    return [
        [Button(t("review.add"), add)],
        [capacity_button(t, review.coworker, review.day)],
    ]


def _task_buttons(number: int, task: PlannedTask) -> list[Button]:
    """Up, down, time, with support, remove: the label's number is the task's place."""
    return [
        Button(f"↑ {number}", Callback(Action.REVIEW_UP, task.id)),
        Button(f"↓ {number}", Callback(Action.REVIEW_DOWN, task.id)),
        Button(f"🕐 {number}", Callback(Action.REVIEW_TIME, task.id)),
        Button(f"🤝 {number}", Callback(Action.REVIEW_SUPPORT, task.id)),
        Button(f"✕ {number}", Callback(Action.REVIEW_REMOVE, task.id)),
    ]


def approve_all(t: Texts, day: date, names: list[str]) -> Rendered:
    """The evening's last review message: every draft of the day approved with one press."""
    text = t("review.all_intro", count=len(names), day=t.day_in_words(day))
    button = Button(
        t("review.approve_all", count=len(names)),
        Callback(Action.REVIEW_APPROVE_ALL, day.toordinal()),
    )
    return Rendered(text, [[button]])


def all_approved(t: Texts, day: date, names: list[str]) -> Rendered:
    if not names:
        return Rendered(t("review.none_to_approve", day=t.day_in_words(day)))
    who = Markup(", ").join(name for name in names)
    return Rendered(t("review.all_approved", day=t.day_in_words(day), names=who))
