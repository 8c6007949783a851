"""Drafting a co-worker's day plan (Steg för Steg; DESIGN "The day", step 1).

A day's draft is made from three kinds of task, in this priority:

1. tasks a support person put on that day's plan (``Source.ADDED``);
2. unfinished tasks from earlier days, oldest first (``Source.CARRIED``): the old
   task becomes ``carried_over`` and the new one keeps, in ``carried_from``, the
   day it was first planned for, so the days it has waited can be shown;
3. recurring tasks due that day (``Source.RECURRING``, see ``recurrence.py``);
   one that is already on the day by another way is not added twice.

Which of them go on the day, and in what order, is the pure function
:func:`~bot.rules.placement.place`. This module
is the run that applies it in the database (the candidates are gathered by
``draft_candidates``; every co-worker's day is drafted by ``drafting_everyone``):

* what does not fit is *deferred*: it goes on the next working day's plan (not a
  weekend day or public holiday) with ``deferred_from`` and ``deferred_reason``
  set, so the support person sees what moved and why — nothing is dropped.

Only a draft is (re)drafted: an approved or sent plan is left exactly as it is.
Running it again with the same data changes nothing. On a day off (weekend,
public holiday) nothing is carried or deferred onto the day: only what is
planned for it explicitly (recurrences naming the day, tasks put there) is.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.rules.placement import DeferReason, place
from bot.rules.working_days import is_day_off, next_working_day
from bot.services.planning import plans as planning
from bot.services.planning.draft_candidates import Item, gather
from storage.models import DayPlan, Person, PlannedTask, PlanStatus, TaskStatus
from storage.repos import drafting as repo
from storage.repos import plans as plan_repo

# How far ahead a deferred task may look for a plan that is still a draft.
SEARCH_DAYS = 60


class Outcome(enum.Enum):
    CREATED = "created"  # a new plan with tasks
    UPDATED = "updated"  # a draft that changed
    UNCHANGED = "unchanged"  # a draft that was already as it should be
    NOTHING = "nothing"  # nothing to plan that day, so no plan
    LOCKED = "locked"  # approved or sent: left alone


@dataclass(frozen=True)
class Deferral:
    """A task that did not fit ``from_day``: it is on ``to_day``'s plan now."""

    task: PlannedTask
    reason: DeferReason
    from_day: date
    to_day: date


@dataclass(frozen=True)
class DraftResult:
    outcome: Outcome
    day: date
    plan: DayPlan | None = None
    deferred: tuple[Deferral, ...] = ()  # moved away by this run
    over_capacity: PlannedTask | None = None  # alone on the day, heavier than the capacity
    strain: int = 0
    capacity: int = 0

    @property
    def changed(self) -> bool:
        return self.outcome in (Outcome.CREATED, Outcome.UPDATED)


@dataclass
class DraftRun:
    """One co-worker's day being drafted, with what was read for it."""

    services: Services
    session: AsyncSession
    coworker: Person
    day: date
    begun_by: date  # the last day whose unfinished tasks carry over
    known: repo.Known
    changed: bool = False
    deferred: list[Deferral] = field(default_factory=list)
    # Tasks on the draft that are no longer open (carried on by a later day's draft, or
    # acted on): kept exactly as they are, after the others, outside the placement.
    fixed: list[PlannedTask] = field(default_factory=list)


async def draft_day(
    services: Services,
    session: AsyncSession,
    coworker: Person,
    day: date,
    *,
    begun_by: date | None = None,
) -> DraftResult:
    """(Re)draft the co-worker's plan for ``day`` (see the module's docstring).

    Unfinished tasks of days up to ``begun_by`` (today unless given) carry over."""
    plan = (await repo.plans_on(session, [coworker.id], day)).get(coworker.id)
    if plan is not None and plan.status is not PlanStatus.DRAFT:
        return DraftResult(Outcome.LOCKED, day, plan, capacity=coworker.capacity_on(day))
    begun_by = begun_by or services.today()
    known = await repo.known_for(session, [coworker.id], day, begun_by, carry=not is_day_off(day))
    result = await draft_run(
        DraftRun(services, session, coworker, day, begun_by, known[coworker.id]), plan
    )
    await session.flush()
    return result


async def draft_run(run: DraftRun, plan: DayPlan | None) -> DraftResult:
    """Draft ``run.day`` from what is known (no query unless a task is deferred; what
    is new is added to the session, not flushed)."""
    coworker, day = run.coworker, run.day
    capacity = coworker.capacity_on(day)  # the weekday's own stamina, if it has one
    items, fixed = gather(day, run.known, plan)
    run.fixed.extend(fixed)
    if plan is None and not items:
        return DraftResult(Outcome.NOTHING, day, capacity=capacity)

    by_candidate = {item.candidate: item for item in items}
    placement = place(by_candidate, capacity)
    created = plan is None
    if plan is None and placement.placed:
        plan = planning.new_plan(run.services, coworker, day)
        run.session.add(plan)
    rows = [_row_on(run, plan, by_candidate[c]) for c in placement.placed if plan is not None]
    for candidate, reason in placement.deferred:
        await _defer(run, plan, by_candidate[candidate], reason)
    if plan is not None:
        stale = [row for row in plan.tasks if row not in rows and row not in run.fixed]
        for row in stale:  # a recurring task no longer due (recurrence ended or changed)
            plan.tasks.remove(row)
            run.changed = True
        _settle(run, plan, rows)

    over = None
    if placement.over_capacity is not None:
        over = rows[placement.placed.index(placement.over_capacity)]
    if created and rows:
        outcome = Outcome.CREATED
    elif run.changed:
        outcome = Outcome.UPDATED
    else:
        outcome = Outcome.UNCHANGED
    return DraftResult(
        outcome,
        day,
        plan,
        tuple(run.deferred),
        over,
        placement.strain,
        capacity,
    )


def _row_on(run: DraftRun, plan: DayPlan, item: Item) -> PlannedTask:
    """The item's row on ``plan``: the one it has, or a new one at the end, complete
    before it is first written (one INSERT, no UPDATE after it)."""
    if item.row is not None:
        return item.row
    template = item.template
    row = PlannedTask(
        template_id=template.id,
        template=template,
        position=len(plan.tasks) + 1,
        time_of_day=item.candidate.at,
        status=TaskStatus.OPEN,
        steps_done=[],
        first_time=template.id not in run.known.completed,
        with_support=item.with_support,
        recurrence_id=item.recurrence_id,
    )
    earlier = item.earlier
    if earlier is not None:
        earlier.task.status = TaskStatus.CARRIED_OVER
        row.carried_from = earlier.since
        sent = earlier.plan_status is PlanStatus.SENT
        row.seen_on = earlier.plan_day if sent else earlier.task.seen_on
    plan.tasks.append(row)
    run.changed = True
    return row


async def _target_plan(run: DraftRun) -> DayPlan:
    """The plan a deferred task goes to: the next working day whose plan is a draft."""
    day = run.day
    for _ in range(SEARCH_DAYS):
        day = next_working_day(day)
        plan = await plan_repo.plan_for(run.session, run.coworker.id, day)
        if plan is None:
            plan = planning.new_plan(run.services, run.coworker, day)
            run.session.add(plan)
            return plan
        if plan.status is PlanStatus.DRAFT:
            return plan
    raise RuntimeError(f"no draft plan within {SEARCH_DAYS} working days after {run.day}")


async def _defer(run: DraftRun, plan: DayPlan | None, item: Item, reason: DeferReason) -> None:
    target = await _target_plan(run)
    if item.row is not None:  # already on this day's plan: move it
        assert plan is not None  # a row on the plan means there is a plan
        row = item.row
        plan.tasks.remove(row)
        row.position = len(target.tasks) + 1
        target.tasks.append(row)
        if row.carried_from is None:
            row.carried_from = run.day
        run.changed = True
    else:
        row = _row_on(run, target, item)
        if row.carried_from is None:
            row.carried_from = run.day  # a recurring task due today, waiting from today
    row.deferred_from = run.day
    row.deferred_reason = reason.value
    run.deferred.append(Deferral(row, reason, run.day, target.day))


def _settle(run: DraftRun, plan: DayPlan, rows: list[PlannedTask]) -> None:
    """Positions in list order and first-time marks, written only where they differ."""
    done = run.known.completed
    for position, row in enumerate(rows, start=1):
        first_time = row.template_id not in done
        if row.position != position or row.first_time != first_time:
            run.changed = True
            row.position = position
            row.first_time = first_time
    for position, row in enumerate(run.fixed, start=len(rows) + 1):
        if row.position != position:
            run.changed = True
            row.position = position
    plan.tasks.sort(key=lambda row: row.position)


def days_ahead(today: date) -> list[date]:
    """The days the evening run drafts: tomorrow through the next working day."""
    last = next_working_day(today)
    return [today + timedelta(days=n) for n in range(1, (last - today).days + 1)]


async def deferred_from(
    session: AsyncSession, coworker: Person, day: date
) -> list[tuple[PlannedTask, date]]:
    """The tasks that did not fit ``day`` and the day each is on now (for the review)."""
    return await repo.deferred_out_of(session, coworker.id, day)
