"""A co-worker's day plans: found, or made as a draft due at their morning time; a task
row put on one (the building block of drafting and of ``add_task``, which checks, audits
and tells the co-worker); and one looked up for staff by name (audited)."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.rules.localtime import local_moment
from bot.services.people.organisation import find_coworker
from bot.services.privacy import audit
from storage.models import DayPlan, Person, PlannedTask, PlanStatus, TaskStatus, TaskTemplate
from storage.repos import plans as plan_repo


async def ensure_plan(
    services: Services, session: AsyncSession, coworker: Person, day: date
) -> DayPlan:
    """The co-worker's plan for ``day``, created as a draft due at their morning time."""
    plan = await plan_repo.plan_for(session, coworker.id, day)
    if plan is None:
        plan = new_plan(services, coworker, day)
        session.add(plan)
        await session.flush()
    return plan


def new_plan(services: Services, coworker: Person, day: date) -> DayPlan:
    """A new, empty draft for ``day``, due at the co-worker's morning time (not added)."""
    return DayPlan(
        coworker_id=coworker.id,
        day=day,
        status=PlanStatus.DRAFT,
        deliver_at=local_moment(day, coworker.morning_time, services.zone),
        created_at=services.now(),
        tasks=[],
    )


async def add_task(
    services: Services,
    session: AsyncSession,
    *,
    coworker: Person,
    template: TaskTemplate,
    day: date,
    at: time | None = None,
    added_by: Person | None = None,
) -> PlannedTask:
    plan = await ensure_plan(services, session, coworker, day)
    task = PlannedTask(
        template_id=template.id,
        template=template,
        position=len(plan.tasks) + 1,
        time_of_day=at,
        status=TaskStatus.OPEN,
        steps_done=[],
        first_time=not await plan_repo.has_completed(session, coworker.id, template.id),
        with_support=template.with_support,
        added_by_id=added_by.id if added_by else None,
        added_at=services.now() if added_by else None,
    )
    plan.tasks.append(task)
    await session.flush()
    return task


async def show(
    services: Services,
    session: AsyncSession,
    coworker_ref: str,
    day: date,
    *,
    actor: Person | None = None,
) -> tuple[Person, DayPlan | None]:
    """The co-worker named ``coworker_ref`` and their plan for ``day``; the view is audited."""
    coworker = await find_coworker(session, coworker_ref)
    await audit.record(services, session, actor=actor, subject=coworker, action="plan.view")
    return coworker, await plan_repo.plan_for(session, coworker.id, day)
