"""Queries about day plans and the tasks on them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

from sqlalchemy import (
    Boolean,
    Select,
    Table,
    bindparam,
    exists,
    literal_column,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from storage.models import (
    DayList,
    DayPlan,
    ListedTask,
    PlannedTask,
    PlanStatus,
    Reminder,
    ReminderStatus,
    TaskStatus,
    TaskTemplate,
)
from storage.repos import first


async def plan_for(session: AsyncSession, coworker_id: int, day: date) -> DayPlan | None:
    return await first(
        session, select(DayPlan).where(DayPlan.coworker_id == coworker_id, DayPlan.day == day)
    )


async def day_list(session: AsyncSession, coworker_id: int, day: date) -> DayPlan | None:
    """The co-worker's plan for ``day`` with what its list shows: the tasks, in order, and
    their templates (not the templates' steps or attachments)."""
    return await first(
        session,
        select(DayPlan)
        .where(DayPlan.coworker_id == coworker_id, DayPlan.day == day)
        .options(
            selectinload(DayPlan.tasks)
            .joinedload(PlannedTask.template, innerjoin=True)
            .raiseload("*")
        ),
    )


async def unsent_from(session: AsyncSession, coworker_id: int, day: date) -> list[DayPlan]:
    """The co-worker's plans from ``day`` on that have not been sent yet."""
    return list(
        await session.scalars(
            select(DayPlan).where(
                DayPlan.coworker_id == coworker_id,
                DayPlan.day >= day,
                DayPlan.status != PlanStatus.SENT,
            )
        )
    )


async def planned_task(session: AsyncSession, task_id: int) -> PlannedTask | None:
    return await first(
        session,
        select(PlannedTask)
        .where(PlannedTask.id == task_id)
        .options(
            selectinload(PlannedTask.plan)
            .selectinload(DayPlan.tasks)
            .selectinload(PlannedTask.template)
        ),
    )


def _task_to_answer(*, details: bool) -> Select[tuple[PlannedTask]]:
    template = joinedload(PlannedTask.template, innerjoin=True)
    return (
        select(PlannedTask)
        .where(PlannedTask.id == bindparam("task_id"))
        .options(
            joinedload(PlannedTask.plan, innerjoin=True).raiseload(DayPlan.tasks),
            template.selectinload(TaskTemplate.steps)
            if details
            else template.raiseload(TaskTemplate.steps),
            template.selectinload(TaskTemplate.attachments)
            if details
            else template.raiseload(TaskTemplate.attachments),
        )
    )


# Built once: a statement keeps the cache key SQLAlchemy works out for it, and these run
# on every press of a co-worker's button.
_TASK_TO_ANSWER = {details: _task_to_answer(details=details) for details in (False, True)}
_TASKS = cast(Table, PlannedTask.__table__)
_PLANS = cast(Table, DayPlan.__table__)
# A task marked done in one statement, when it is the person's own, on the day's list and
# still answerable; it says which plan it is on, and whether it has a reminder waiting (to
# be closed: most tasks have no time, and so no reminder). (The EXISTS is written out:
# SQLAlchemy renders a RETURNING clause's columns unqualified on SQLite, and ``id`` in
# the subquery would then be the reminder's own.)
_REMINDER_WAITING = literal_column(
    f"EXISTS (SELECT 1 FROM {Reminder.__tablename__} AS waiting"
    f" WHERE waiting.planned_task_id = {_TASKS.name}.id"
    f" AND waiting.status = '{ReminderStatus.PENDING.value}')",
    Boolean(),
).label("reminder_waiting")
_MARK_DONE = (
    update(_TASKS)
    .where(
        _TASKS.c.id == bindparam("task_id"),
        _TASKS.c.status.in_(bindparam("answerable", expanding=True)),
        exists().where(
            _PLANS.c.id == _TASKS.c.day_plan_id,
            _PLANS.c.coworker_id == bindparam("coworker_id"),
            _PLANS.c.day == bindparam("day", type_=_PLANS.c.day.type),
        ),
    )
    .values(status=TaskStatus.DONE, done_at=bindparam("done_at", type_=_TASKS.c.done_at.type))
    .returning(_TASKS.c.day_plan_id, _REMINDER_WAITING)
)
_TEMPLATES = cast(Table, TaskTemplate.__table__)
_LISTED_DAY = (
    select(
        _TASKS.c.id,
        _TEMPLATES.c.title,
        _TASKS.c.status,
        _TASKS.c.first_time,
        _TASKS.c.with_support,
        _TASKS.c.time_of_day,
        _TASKS.c.seen_on,
        _PLANS.c.day,
        _PLANS.c.list_message_id,
    )
    .join(_TEMPLATES, _TEMPLATES.c.id == _TASKS.c.template_id)
    .join(_PLANS, _PLANS.c.id == _TASKS.c.day_plan_id)
    .where(_TASKS.c.day_plan_id == bindparam("plan_id"))
    .order_by(_TASKS.c.position, _TASKS.c.id)
)


@dataclass(frozen=True)
class MarkedDone:
    plan_id: int
    reminder_waiting: bool  # the task has a pending reminder, to be closed


async def mark_done_if_answerable(
    session: AsyncSession,
    task_id: int,
    coworker_id: int,
    day: date,
    now: datetime,
    answerable: tuple[TaskStatus, ...],
) -> MarkedDone | None:
    """Mark the co-worker's task on ``day``'s plan done if its status is ``answerable``;
    its plan and whether it has a reminder waiting, or None (not theirs, another day, or
    not answerable: left as it is)."""
    values = {
        "task_id": task_id,
        "answerable": list(answerable),
        "coworker_id": coworker_id,
        "day": day,
        "done_at": now,
    }
    row = (await session.execute(_MARK_DONE, values)).first()
    return None if row is None else MarkedDone(row.day_plan_id, bool(row.reminder_waiting))


async def task_to_answer(
    session: AsyncSession, task_id: int, *, details: bool = False
) -> PlannedTask | None:
    """A task with its plan and its template, in one query: what a co-worker's answer
    needs. ``details``: the template's steps and attachments too (what a card shows).
    The plan's tasks are not loaded (the list is read with :func:`listed_day`): reading
    them raises instead of loading them by accident."""
    found = await session.scalars(_TASK_TO_ANSWER[details], {"task_id": task_id})
    return found.first()


async def listed_day(session: AsyncSession, plan_id: int) -> DayList | None:
    """The plan's list as it shows now (its tasks in order, each with its template's
    title), in one query read as rows; None for a plan with no tasks."""
    rows = (await session.execute(_LISTED_DAY, {"plan_id": plan_id})).all()
    if not rows:
        return None
    return DayList(
        plan_id=plan_id,
        day=rows[0].day,
        list_message_id=rows[0].list_message_id,
        tasks=tuple(
            ListedTask(
                id=row.id,
                title=row.title,
                status=row.status,
                first_time=row.first_time,
                with_support=row.with_support,
                time_of_day=row.time_of_day,
                seen_on=row.seen_on,
            )
            for row in rows
        ),
    )


async def has_completed(session: AsyncSession, coworker_id: int, template_id: int) -> bool:
    """Whether the co-worker has ever finished this task (else it is first-time)."""
    done = (
        select(PlannedTask.id)
        .join(DayPlan)
        .where(
            DayPlan.coworker_id == coworker_id,
            PlannedTask.template_id == template_id,
            PlannedTask.status == TaskStatus.DONE,
        )
    )
    return bool(await session.scalar(select(exists(done))))


async def carried_copies(
    session: AsyncSession, coworker_id: int, template_id: int, origin: date, after: date
) -> list[PlannedTask]:
    """Open copies of a task carried over from ``origin`` onto later plans still in draft."""
    return list(
        await session.scalars(
            select(PlannedTask)
            .join(DayPlan)
            .where(
                DayPlan.coworker_id == coworker_id,
                DayPlan.day > after,
                DayPlan.status == PlanStatus.DRAFT,
                PlannedTask.template_id == template_id,
                PlannedTask.carried_from == origin,
                PlannedTask.status == TaskStatus.OPEN,
            )
        )
    )
