"""A co-worker's list as the support person reviews it, with its buttons."""

from __future__ import annotations

from datetime import date, timedelta
from html import escape

from babel.dates import format_date

from bot.callbacks import Action, Callback
from bot.i18n import Texts
from bot.services.review import Review
from bot.views import planning as planning_lines
from bot.views.day import task_line
from bot.views.rendered import Button, Rendered
from storage.models import Person, PlanStatus

DAYS_PER_ROW = 4


def choose_coworker(t: Texts, coworkers: list[Person]) -> Rendered:
    if not coworkers:
        return Rendered(t("contacts.no_coworkers"))
    return Rendered(
        t("review.which_coworker"),
        [[Button(p.display_name, Callback(Action.REVIEW_COWORKER, p.id))] for p in coworkers],
    )


def choose_day(t: Texts, coworker: Person, today: date, days: int) -> Rendered:
    buttons = [
        Button(
            format_date(today + timedelta(days=n), "EEE d/M", locale=t.language),
            Callback(Action.REVIEW_DAY, coworker.id * 100 + n),
        )
        for n in range(days)
    ]
    rows = [buttons[i : i + DAYS_PER_ROW] for i in range(0, len(buttons), DAYS_PER_ROW)]
    return Rendered(t("review.which_day", name=escape(coworker.display_name)), rows)


def review_view(t: Texts, review: Review) -> Rendered:
    plan = review.plan
    status = plan.status.value if plan else PlanStatus.DRAFT.value
    lines = [
        t(
            "review.header",
            name=escape(review.coworker.display_name),
            day=t.day_in_words(review.day),
            status=t(f"plan.status.{status}"),
        ),
        "",
    ]
    tasks = list(plan.tasks) if plan else []
    for number, task in enumerate(tasks, start=1):
        line = task_line(t, number, task)
        waited = planning_lines.waited_line(t, task, review.day)
        lines.append(f"{line} – {waited}" if waited else line)
    if not tasks:
        lines.append(t("review.no_tasks"))
    for task, moved_to in review.deferred:
        reason = task.deferred_reason or ""
        lines.append(planning_lines.deferral_line(t, escape(task.template.title), reason, moved_to))
    rows: list[list[Button]] = []
    if plan is not None and plan.status is not PlanStatus.SENT:
        for number, task in enumerate(tasks, start=1):
            rows.append(
                [
                    Button(f"↑ {number}", Callback(Action.REVIEW_UP, task.id)),
                    Button(f"↓ {number}", Callback(Action.REVIEW_DOWN, task.id)),
                    Button(f"✕ {number}", Callback(Action.REVIEW_REMOVE, task.id)),
                ]
            )
        if plan.status is PlanStatus.DRAFT and tasks:
            rows.append([Button(t("review.approve"), Callback(Action.REVIEW_APPROVE, plan.id))])
    return Rendered("\n".join(lines), rows)
