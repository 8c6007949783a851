"""The support person's review of a co-worker's list: look, reorder, remove, approve.

Every call checks that the staff member may manage the co-worker (an admin anyone; a
support person the co-workers of their groups). A list the support person changes
counts as reviewed: it is approved, so the morning safety-net drafting leaves it as
they made it.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.rules.review import Review
from bot.services.access import Refused, ReviewError, coworker_for, may_manage
from bot.services.planning import drafting
from bot.services.planning.projection import project
from bot.services.privacy import audit
from storage.models import DayPlan, Person, PlannedTask, PlanStatus
from storage.repos import plans as plan_repo
from storage.repos import reviews as reviews_repo

DAYS_AHEAD = 14


def day_of(ordinal: int) -> date:
    """The date a button's day number stands for (a forged number is refused)."""
    try:
        return date.fromordinal(ordinal)
    except (ValueError, OverflowError):
        raise ReviewError(Refused.OUT_OF_RANGE) from None


def check_in_range(services: Services, day: date) -> None:
    """Staff plan from today up to two weeks ahead."""
    if not 0 <= (day - services.today()).days < DAYS_AHEAD:
        raise ReviewError(Refused.OUT_OF_RANGE)


async def review(
    services: Services, session: AsyncSession, staff: Person, coworker_id: int, day: date
) -> Review:
    check_in_range(services, day)
    coworker = await coworker_for(session, staff, coworker_id)
    await audit.record(services, session, actor=staff, subject=coworker, action="plan.view")
    plan = await plan_repo.plan_for(session, coworker.id, day)
    projected = None if plan is not None else (await project(services, session, coworker, day))[day]
    return Review(
        coworker, day, plan, await drafting.deferred_from(session, coworker, day), projected
    )


async def plan_to_show(session: AsyncSession, staff: Person, plan_id: int) -> DayPlan:
    plan = await session.get(DayPlan, plan_id)
    if plan is None:
        raise ReviewError(Refused.NOT_YOURS)
    await coworker_for(session, staff, plan.coworker_id)
    return plan


async def task_to_edit(session: AsyncSession, staff: Person, task_id: int) -> PlannedTask:
    task = await plan_repo.planned_task(session, task_id)
    if task is None:
        raise ReviewError(Refused.NOT_YOURS)
    await coworker_for(session, staff, task.plan.coworker_id)
    if task.plan.status is PlanStatus.SENT:
        raise ReviewError(Refused.SENT)
    return task


def _reviewed(plan: DayPlan, staff: Person, at: datetime) -> None:
    plan.status = PlanStatus.APPROVED
    plan.approved_by_id = staff.id
    plan.approved_at = at  # the approver's day in the continuity figure


async def move(
    services: Services, session: AsyncSession, staff: Person, task_id: int, step: int
) -> DayPlan:
    """Move a task one place up (``step`` -1) or down (+1)."""
    task = await task_to_edit(session, staff, task_id)
    plan = task.plan
    tasks = list(plan.tasks)
    where = tasks.index(task)
    other = where + step
    if 0 <= other < len(tasks):
        tasks[where], tasks[other] = tasks[other], tasks[where]
        for position, each in enumerate(tasks, start=1):
            each.position = position
        plan.tasks.sort(key=lambda t: t.position)
    _reviewed(plan, staff, services.now())
    await audit.record(
        services, session, actor=staff, subject=None, action="plan.move", detail=f"plan {plan.id}"
    )
    return plan


async def remove(services: Services, session: AsyncSession, staff: Person, task_id: int) -> DayPlan:
    task = await task_to_edit(session, staff, task_id)
    plan = task.plan
    plan.tasks.remove(task)
    for position, each in enumerate(plan.tasks, start=1):
        each.position = position
    _reviewed(plan, staff, services.now())
    await audit.record(
        services, session, actor=staff, subject=None, action="plan.remove", detail=f"plan {plan.id}"
    )
    await session.flush()
    return plan


async def set_time(
    services: Services, session: AsyncSession, staff: Person, task_id: int, at: time | None
) -> DayPlan:
    """Give a task a time of day, or take its time away (``None``)."""
    task = await task_to_edit(session, staff, task_id)
    task.time_of_day = at
    _reviewed(task.plan, staff, services.now())
    await audit.record(
        services, session, actor=staff, subject=None, action="plan.time", detail=f"task {task.id}"
    )
    return task.plan


async def toggle_support(
    services: Services, session: AsyncSession, staff: Person, task_id: int
) -> DayPlan:
    """Mark a task as done with a support person, or take the mark away."""
    task = await task_to_edit(session, staff, task_id)
    task.with_support = not task.with_support
    _reviewed(task.plan, staff, services.now())
    await audit.record(
        services,
        session,
        actor=staff,
        subject=None,
        action="plan.with_support",
        detail=f"task {task.id}",
    )
    return task.plan


async def approve(
    services: Services, session: AsyncSession, staff: Person, plan_id: int
) -> DayPlan:
    plan = await session.get(DayPlan, plan_id)
    if plan is None:
        raise ReviewError(Refused.NOT_YOURS)
    await coworker_for(session, staff, plan.coworker_id)
    if plan.status is PlanStatus.SENT:
        raise ReviewError(Refused.SENT)
    _reviewed(plan, staff, services.now())
    await audit.record(
        services,
        session,
        actor=staff,
        subject=None,
        action="plan.approve",
        detail=f"plan {plan.id}",
    )
    return plan


async def approve_all(
    services: Services, session: AsyncSession, staff: Person, day: date
) -> list[DayPlan]:
    """Approve every draft for ``day`` of the co-workers whose review the staff member was
    sent, or whose primary contact they are (the evening's "approve all" button); the
    lists approved."""
    check_in_range(services, day)
    approved = []
    for plan in await reviews_repo.drafts_for_reviewer(session, staff.id, day):
        if await may_manage(session, staff, await session.get_one(Person, plan.coworker_id)):
            _reviewed(plan, staff, services.now())
            approved.append(plan)
    await audit.record(
        services,
        session,
        actor=staff,
        subject=None,
        action="plan.approve_all",
        detail=f"{day.isoformat()}: {len(approved)} plans",
    )
    return approved


def review_days(today: date) -> list[date]:
    return [today + timedelta(days=n) for n in range(DAYS_AHEAD)]
