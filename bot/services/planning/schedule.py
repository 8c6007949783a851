"""Planning catalogue tasks for a co-worker: on repeat (a recurrence) or once (a date)."""

from __future__ import annotations

import re
from datetime import date, time

from sqlalchemy.ext.asyncio import AsyncSession

from bot.rules import recurrence
from bot.services.context import Services
from bot.services.people.organisation import OrganisationError, find_coworker
from bot.services.planning import additions
from bot.services.privacy import audit
from storage.models import DayPlan, Person, PlannedTask, Recurrence, TaskTemplate
from storage.repos import catalogue as catalogue_repo
from storage.repos import plans as plan_repo


async def find_task(session: AsyncSession, ref: str) -> TaskTemplate:
    """An active catalogue task by title (any case) or ``#id``."""
    ref = ref.strip()
    number = re.fullmatch(r"#(\d{1,18})", ref)
    if number:
        found = await session.get(TaskTemplate, int(number.group(1)))
        if found is not None and found.active:
            return found
        raise OrganisationError("plan.unknown_task", ref=ref)
    found = await catalogue_repo.active_template_titled(session, ref)
    if found is None:
        raise OrganisationError("plan.unknown_task", ref=ref)
    return found


async def repeat(
    services: Services,
    session: AsyncSession,
    coworker_ref: str,
    task_ref: str,
    *,
    weekdays: list[int],
    every_other_week: bool = False,
    starts_on: date,
    at: time | None = None,
    actor: Person | None = None,
) -> Recurrence:
    """Plan a task for a co-worker on chosen weekdays (every week or every other week)."""
    coworker = await find_coworker(session, coworker_ref)
    template = await find_task(session, task_ref)
    if every_other_week:
        preset = recurrence.Preset.EVERY_OTHER_WEEK
    elif weekdays == [0, 1, 2, 3, 4]:
        preset = recurrence.Preset.WEEKDAYS
    else:
        preset = recurrence.Preset.WEEKLY
    return await additions.plan_repeat(
        services,
        session,
        coworker=coworker,
        template=template,
        preset=preset,
        weekdays=weekdays,
        starts_on=starts_on,
        at=at,
        actor=actor,
    )


async def once(
    services: Services,
    session: AsyncSession,
    coworker_ref: str,
    task_ref: str,
    *,
    day: date,
    at: time | None = None,
    actor: Person | None = None,
) -> PlannedTask:
    """Put a task on one day's list (the co-worker is told if it was sent already)."""
    coworker = await find_coworker(session, coworker_ref)
    template = await find_task(session, task_ref)
    added = await additions.add_once(
        services, session, coworker=coworker, template=template, day=day, at=at, actor=actor
    )
    return added.task


async def show(
    services: Services,
    session: AsyncSession,
    coworker_ref: str,
    day: date,
    *,
    actor: Person | None = None,
) -> tuple[Person, DayPlan | None]:
    coworker = await find_coworker(session, coworker_ref)
    await audit.record(services, session, actor=actor, subject=coworker, action="plan.view")
    return coworker, await plan_repo.plan_for(session, coworker.id, day)
