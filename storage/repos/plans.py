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
    inspect,
    literal_column,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, raiseload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from storage.models import (
    DayPlan,
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
_DAY_LIST = (
    select(PlannedTask)
    .where(PlannedTask.day_plan_id == bindparam("plan_id"))
    .order_by(PlannedTask.position, PlannedTask.id)
    .options(
        raiseload(PlannedTask.plan),
        joinedload(PlannedTask.template, innerjoin=True).raiseload("*"),
    )
)


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
_DAY_LIST_WITH_PLAN = (
    select(PlannedTask)
    .where(PlannedTask.day_plan_id == bindparam("plan_id"))
    .order_by(PlannedTask.position, PlannedTask.id)
    .options(
        joinedload(PlannedTask.plan, innerjoin=True).raiseload(DayPlan.tasks),
        joinedload(PlannedTask.template, innerjoin=True).raiseload("*"),
    )
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


async def day_list_with(session: AsyncSession, plan_id: int, task_id: int) -> PlannedTask | None:
    """The task, with its plan, its template (no steps or attachments) and the plan's
    tasks with their templates (the day's list): one query."""
    tasks = list(await session.scalars(_DAY_LIST_WITH_PLAN, {"plan_id": plan_id}))
    if not tasks:
        return None
    set_committed_value(tasks[0].plan, "tasks", tasks)
    return next((task for task in tasks if task.id == task_id), None)


async def task_to_answer(
    session: AsyncSession, task_id: int, *, details: bool = False
) -> PlannedTask | None:
    """A task with its plan and its template, in one query: what a co-worker's answer
    needs. ``details``: the template's steps and attachments too (what a card shows).
    The plan's tasks come only with :func:`load_day_list`; anything not loaded raises
    instead of being loaded by accident."""
    found = await session.scalars(_TASK_TO_ANSWER[details], {"task_id": task_id})
    return found.first()


async def load_day_list(session: AsyncSession, plan: DayPlan) -> None:
    """Fill in the plan's tasks, in order, each with its template but not the template's
    steps or attachments: what the day's list shows. One query; tasks already in the
    session (the one being answered) are kept as they are."""
    tasks = list(await session.scalars(_DAY_LIST, {"plan_id": plan.id}))
    for task in tasks:
        if "plan" in inspect(task).unloaded:
            set_committed_value(task, "plan", plan)
    set_committed_value(plan, "tasks", tasks)


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
