"""Queries for drafting co-workers' days (bot/services/planning/drafting.py).

Drafting reads, for each co-worker, the day's plan, the unfinished tasks of earlier
days, the templates already planned for the day elsewhere, the recurrences and the
templates finished before. Each of these is one query for many co-workers at once
(:func:`known_for`), so drafting a thousand co-workers costs a handful of queries,
not a few per co-worker.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    DayPlan,
    Person,
    PlannedTask,
    PlanStatus,
    Recurrence,
    Role,
    TaskStatus,
    TaskTemplate,
)

# A task in one of these states on an earlier day was not finished and carries over.
UNFINISHED = (TaskStatus.OPEN, TaskStatus.STARTED, TaskStatus.HELP, TaskStatus.NOT_TODAY)


@dataclass(frozen=True)
class Unfinished:
    """An unfinished task of an earlier day, the day it was first planned for, and the
    day and status of the plan it is on."""

    task: PlannedTask
    since: date
    plan_day: date
    plan_status: PlanStatus


@dataclass
class Known:
    """What drafting one co-worker's day reads besides the day's plan."""

    unfinished: list[Unfinished] = field(default_factory=list)  # oldest first
    already: set[int] = field(default_factory=set)  # see templates_already_for
    recurrences: list[tuple[Recurrence, TaskTemplate]] = field(default_factory=list)  # by id
    completed: set[int] = field(default_factory=set)  # templates finished at least once


async def coworkers_to_draft(session: AsyncSession) -> list[int]:
    """Ids of every active co-worker, in id order."""
    return list(
        await session.scalars(
            select(Person.id)
            .where(Person.role == Role.COWORKER, Person.active.is_(True))
            .order_by(Person.id)
        )
    )


async def active_coworkers(session: AsyncSession, ids: Collection[int]) -> list[Person]:
    """Those of ``ids`` who are active, in id order."""
    return list(
        await session.scalars(
            select(Person)
            .where(Person.id.in_(list(ids)), Person.active.is_(True))
            .order_by(Person.id)
        )
    )


async def plans_on(
    session: AsyncSession, coworker_ids: Collection[int], day: date
) -> dict[int, DayPlan]:
    """The co-workers' plans for ``day`` (with their tasks), by co-worker."""
    plans = await session.scalars(
        select(DayPlan).where(DayPlan.coworker_id.in_(list(coworker_ids)), DayPlan.day == day)
    )
    return {plan.coworker_id: plan for plan in plans}


async def known_for(
    session: AsyncSession,
    coworker_ids: Collection[int],
    day: date,
    begun_by: date,
    *,
    carry: bool,
) -> dict[int, Known]:
    """What drafting ``day`` reads for each of the co-workers, in four or five queries.
    ``carry``: whether unfinished tasks of earlier days (up to ``begun_by``) carry over."""
    ids = list(coworker_ids)
    known = {coworker_id: Known() for coworker_id in ids}
    if not ids:
        return known
    if carry:
        for coworker_id, unfinished in await _unfinished_before(session, ids, day, begun_by):
            known[coworker_id].unfinished.append(unfinished)
    for coworker_id, template_id in await _templates_already_for(session, ids, day):
        known[coworker_id].already.add(template_id)
    for recurrence, template in await _recurrences_of(session, ids):
        known[recurrence.coworker_id].recurrences.append((recurrence, template))
    for coworker_id, template_id in await _completed_templates(session, ids):
        known[coworker_id].completed.add(template_id)
    return known


async def number_new_rows(session: AsyncSession) -> None:
    """On SQLite, give the session's new day plans and planned tasks their ids before
    they are written, so each table gets one INSERT for them all: SQLite cannot hand
    back many new ids in a known order, so SQLAlchemy would insert them one by one.
    Safe because every SQLite transaction here begins IMMEDIATE (``storage/db.py``):
    it holds the database's write lock, so nobody else takes an id meanwhile.
    (PostgreSQL hands the ids back in order; nothing to do there.)"""
    if session.get_bind().dialect.name != "sqlite":
        return
    with session.no_autoflush:
        for model in (DayPlan, PlannedTask):
            new = [row for row in session.new if isinstance(row, model) and row.id is None]
            if new:
                top = await session.scalar(select(func.max(model.id))) or 0
                for offset, row in enumerate(new, start=1):
                    row.id = top + offset


async def recurrences_of(
    session: AsyncSession, coworker_id: int
) -> list[tuple[Recurrence, TaskTemplate]]:
    """The co-worker's active recurrences of active templates, by id."""
    return await _recurrences_of(session, [coworker_id])


async def _recurrences_of(
    session: AsyncSession, coworker_ids: list[int]
) -> list[tuple[Recurrence, TaskTemplate]]:
    rows = await session.execute(
        select(Recurrence, TaskTemplate)
        .join(TaskTemplate, TaskTemplate.id == Recurrence.template_id)
        .where(
            Recurrence.coworker_id.in_(coworker_ids),
            Recurrence.active.is_(True),
            TaskTemplate.active.is_(True),
        )
        .order_by(Recurrence.id)
    )
    return [(recurrence, template) for recurrence, template in rows.tuples()]


async def _unfinished_before(
    session: AsyncSession, coworker_ids: list[int], day: date, begun_by: date
) -> list[tuple[int, Unfinished]]:
    """Unfinished tasks on the co-workers' plans before ``day`` (and not after
    ``begun_by``: a day that has not started yet has nothing left over), each with
    the day it was first planned for, oldest first; locked for the transaction."""
    since = func.coalesce(PlannedTask.carried_from, DayPlan.day)
    rows = await session.execute(
        select(PlannedTask, since, DayPlan.coworker_id, DayPlan.day, DayPlan.status)
        .join(DayPlan, DayPlan.id == PlannedTask.day_plan_id)
        .where(
            DayPlan.coworker_id.in_(coworker_ids),
            DayPlan.day < day,
            DayPlan.day <= begun_by,
            PlannedTask.status.in_(UNFINISHED),
        )
        .order_by(since, DayPlan.day, PlannedTask.position, PlannedTask.id)
        # Locked until the drafting commits (PostgreSQL): a "Done" made meanwhile waits,
        # then finds the task carried over and marks it done; without the lock the
        # drafting's CARRIED_OVER was written over a Done committed after this read.
        .with_for_update(of=PlannedTask)
    )
    return [
        (coworker_id, Unfinished(task, first_day, plan_day, status))
        for task, first_day, coworker_id, plan_day, status in rows.tuples()
    ]


async def _templates_already_for(
    session: AsyncSession, coworker_ids: list[int], day: date
) -> list[tuple[int, int]]:
    """(co-worker, template) of tasks that belonged to ``day`` but are on another plan
    now: moved away because they did not fit (``deferred_from``), or first planned for
    that day and carried or moved on since (``carried_from``)."""
    rows = await session.execute(
        select(DayPlan.coworker_id, PlannedTask.template_id)
        .join(DayPlan, DayPlan.id == PlannedTask.day_plan_id)
        .where(
            DayPlan.coworker_id.in_(coworker_ids),
            DayPlan.day != day,
            or_(PlannedTask.deferred_from == day, PlannedTask.carried_from == day),
        )
    )
    return list(rows.tuples())


async def _completed_templates(
    session: AsyncSession, coworker_ids: list[int]
) -> list[tuple[int, int]]:
    """(co-worker, template) for each template the co-worker has finished at least once."""
    rows = await session.execute(
        select(DayPlan.coworker_id, PlannedTask.template_id)
        .join(DayPlan, DayPlan.id == PlannedTask.day_plan_id)
        .where(DayPlan.coworker_id.in_(coworker_ids), PlannedTask.status == TaskStatus.DONE)
        .distinct()
    )
    return list(rows.tuples())


async def deferred_out_of(
    session: AsyncSession, coworker_id: int, day: date
) -> list[tuple[PlannedTask, date]]:
    """Tasks moved away from ``day`` because they did not fit, with the day they are on now."""
    rows = await session.execute(
        select(PlannedTask, DayPlan.day)
        .join(DayPlan, DayPlan.id == PlannedTask.day_plan_id)
        .where(DayPlan.coworker_id == coworker_id, PlannedTask.deferred_from == day)
        .order_by(DayPlan.day, PlannedTask.position, PlannedTask.id)
    )
    return [(task, on_day) for task, on_day in rows.tuples()]


async def draft_days_from(session: AsyncSession, coworker_id: int, first: date) -> list[date]:
    """The days from ``first`` on whose plan for the co-worker is still a draft, in order."""
    return list(
        await session.scalars(
            select(DayPlan.day)
            .where(
                DayPlan.coworker_id == coworker_id,
                DayPlan.day >= first,
                DayPlan.status == PlanStatus.DRAFT,
            )
            .order_by(DayPlan.day)
        )
    )
