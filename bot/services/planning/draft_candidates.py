"""What a co-worker's day draft is made from: the candidates for the placement.

The rows already on the day's plan, the unfinished tasks of earlier days (oldest
first) and the recurrences due that day, each turned into a
:class:`~bot.rules.placement.Candidate` with what it stands for. Reads only what
``storage.repos.drafting`` has already fetched (no query); ``drafting`` places the
candidates and writes the outcome.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from bot.rules.placement import Candidate, Source
from bot.rules.recurrence import RecurrenceError, occurs_on, paused_on
from storage.models import DayPlan, PlannedTask, TaskStatus, TaskTemplate
from storage.repos import drafting as repo

log = logging.getLogger(__name__)


@dataclass
class Item:
    """A candidate and what it stands for: a row on the plan, an earlier day's
    unfinished task, or a recurrence (with its template)."""

    candidate: Candidate
    template: TaskTemplate
    row: PlannedTask | None = None  # already on this day's plan
    earlier: repo.Unfinished | None = None  # carried over from an earlier day
    recurrence_id: int | None = None
    with_support: bool = False


def gather(
    day: date, known: repo.Known, plan: DayPlan | None
) -> tuple[list[Item], list[PlannedTask]]:
    """The candidates for ``day``, and the rows on the plan that are no longer open
    (kept exactly as they are, outside the placement)."""
    items: list[Item] = []
    fixed: list[PlannedTask] = []
    kept_recurring: dict[int, PlannedTask] = {}
    for row in plan.tasks if plan else []:
        if row.status is not TaskStatus.OPEN:
            fixed.append(row)
            continue
        source = _source_of(row)
        if source is Source.RECURRING and row.recurrence_id is not None:
            kept_recurring.setdefault(row.recurrence_id, row)
            continue
        items.append(_item_for_row(row, source))

    for unfinished in known.unfinished:  # none on a day off (see drafting.draft_day)
        earlier = unfinished.task
        candidate = Candidate(
            earlier.id,
            earlier.template_id,
            earlier.template.strain,
            Source.CARRIED,
            unfinished.since,
            earlier.time_of_day,
        )
        items.append(
            Item(
                candidate,
                earlier.template,
                earlier=unfinished,
                recurrence_id=earlier.recurrence_id,
                with_support=earlier.with_support,
            )
        )

    taken = {item.template.id for item in items} | known.already
    for recurrence, template in known.recurrences:
        try:
            due = occurs_on(recurrence, day)
        except RecurrenceError as error:
            log.warning("recurrence %s cannot be read: %s", recurrence.id, error)
            continue
        if not due or paused_on(recurrence, day) or template.id in taken:
            continue
        taken.add(template.id)
        kept = kept_recurring.get(recurrence.id)
        at = kept.time_of_day if kept is not None else recurrence.time_of_day
        candidate = Candidate(recurrence.id, template.id, template.strain, Source.RECURRING, at=at)
        items.append(
            Item(
                candidate,
                template,
                row=kept,
                recurrence_id=recurrence.id,
                with_support=kept.with_support if kept is not None else template.with_support,
            )
        )
    return items, fixed


def _source_of(row: PlannedTask) -> Source:
    if row.carried_from is not None:
        return Source.CARRIED
    if row.recurrence_id is not None:
        return Source.RECURRING
    return Source.ADDED


def _item_for_row(row: PlannedTask, source: Source) -> Item:
    candidate = Candidate(
        row.id, row.template_id, row.template.strain, source, row.carried_from, row.time_of_day
    )
    return Item(
        candidate,
        row.template,
        row=row,
        recurrence_id=row.recurrence_id,
        with_support=row.with_support,
    )
