"""Staff put a catalogue task on a co-worker's days by hand: once (on a date) or on
repeat (a recurrence). This is the one service for it; the chat (``handlers/add_task``,
by id, checked like every review) and the command line (``vardag plan``, by name) call it.

A task added to a list that was already sent reaches the co-worker as one short message
with a button to open it, so nothing new appears on their list unannounced. A new
recurrence is drafted at once into the coming lists that are still drafts, so the
support person's evening review shows it. (The plan row itself is made by ``plans``.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.i18n import Texts
from bot.outbox.queue import queue
from bot.rules import recurrence
from bot.rules.localtime import local_moment
from bot.services.access import Refused, ReviewError, coworker_for
from bot.services.errors import OrganisationError
from bot.services.people.organisation import find_coworker, ref_id
from bot.services.planning import drafting
from bot.services.planning import plans as planning
from bot.services.planning.review import check_in_range
from bot.services.privacy import audit
from bot.views.morning import task_added
from storage.models import Person, PlannedTask, PlanStatus, Recurrence, TaskTemplate
from storage.repos import catalogue as catalogue_repo
from storage.repos import plans as plan_repo

KIND = "task_added"


@dataclass(frozen=True)
class Added:
    task: PlannedTask
    told_coworker: bool  # the list had been sent, and the co-worker was sent a note


async def add_once(
    services: Services,
    session: AsyncSession,
    *,
    coworker: Person,
    template: TaskTemplate,
    day: date,
    at: time | None = None,
    actor: Person | None = None,
) -> Added:
    """Put a task on one day's list, whatever the list's state; tell the co-worker if
    the list has been sent already."""
    if day < services.today():
        raise OrganisationError("plan.past_day", day=day.isoformat())
    task = await planning.add_task(
        services, session, coworker=coworker, template=template, day=day, at=at, added_by=actor
    )
    told = False
    if task.plan.status is PlanStatus.SENT:
        told = await _tell_coworker(services, session, coworker, task)
    await audit.record(
        services,
        session,
        actor=actor,
        subject=coworker,
        action="plan.once",
        detail=f"template {template.id} on {day.isoformat()}",
    )
    return Added(task, told)


async def _tell_coworker(
    services: Services, session: AsyncSession, coworker: Person, task: PlannedTask
) -> bool:
    if coworker.telegram_user_id is None or not coworker.active or coworker.unreachable:
        return False
    added_by = await session.get(Person, task.added_by_id) if task.added_by_id else None
    rendered = task_added(Texts(coworker.language), task, added_by)
    end_of_day = local_moment(task.plan.day + timedelta(days=1), time(0), services.zone)
    return await queue(
        services,
        session,
        coworker,
        rendered,
        key=f"added:{task.id}",
        kind=KIND,
        useful_until=end_of_day,
    )


async def plan_repeat(
    services: Services,
    session: AsyncSession,
    *,
    coworker: Person,
    template: TaskTemplate,
    preset: recurrence.Preset,
    weekdays: Sequence[int] = (),
    starts_on: date,
    at: time | None = None,
    actor: Person | None = None,
) -> Recurrence:
    """Plan a task on repeat from ``starts_on``, and draft it into the lists still drafts."""
    rule = recurrence.validate_rule(recurrence.build_rule(preset, weekdays), starts_on)
    row = Recurrence(
        template_id=template.id,
        coworker_id=coworker.id,
        rrule=rule,
        starts_on=starts_on,
        time_of_day=at,
        active=True,
        created_by_id=actor.id if actor else None,
    )
    session.add(row)
    await session.flush()
    await audit.record(
        services,
        session,
        actor=actor,
        subject=coworker,
        action="plan.repeat",
        detail=f"template {template.id}: {rule}",
    )
    await _redraft_drafts(services, session, coworker)
    return row


async def _redraft_drafts(services: Services, session: AsyncSession, coworker: Person) -> None:
    # Only lists that exist and are drafts: a new list for today made after the morning
    # would reach the co-worker at an odd hour; days not drafted yet get it when they are.
    today = services.today()
    for day in [today, *drafting.days_ahead(today)]:
        plan = await plan_repo.plan_for(session, coworker.id, day)
        if plan is not None and plan.status is PlanStatus.DRAFT:
            await drafting.draft_day(services, session, coworker, day)


# --- in chat: by id, checked like every review -----------------------------------


async def _staff_choice(
    session: AsyncSession, staff: Person, coworker_id: int, template_id: int
) -> tuple[Person, TaskTemplate]:
    coworker = await coworker_for(session, staff, coworker_id)
    template = await session.get(TaskTemplate, template_id)
    if template is None or not template.active:
        raise ReviewError(Refused.NO_TASK)
    return coworker, template


async def add_for(
    services: Services,
    session: AsyncSession,
    staff: Person,
    *,
    coworker_id: int,
    template_id: int,
    day: date,
    at: time | None,
) -> Added:
    """A support person (or admin) adds a task once, in chat: checked like every review."""
    check_in_range(services, day)
    coworker, template = await _staff_choice(session, staff, coworker_id, template_id)
    return await add_once(
        services, session, coworker=coworker, template=template, day=day, at=at, actor=staff
    )


async def repeat_for(
    services: Services,
    session: AsyncSession,
    staff: Person,
    *,
    coworker_id: int,
    template_id: int,
    preset: recurrence.Preset,
    weekdays: Sequence[int],
    at: time | None,
) -> Recurrence:
    """A support person (or admin) plans a task on repeat, in chat, starting today."""
    coworker, template = await _staff_choice(session, staff, coworker_id, template_id)
    return await plan_repeat(
        services,
        session,
        coworker=coworker,
        template=template,
        preset=preset,
        weekdays=weekdays,
        starts_on=services.today(),
        at=at,
        actor=staff,
    )


# --- on the command line: by name -------------------------------------------------


async def find_task(session: AsyncSession, ref: str) -> TaskTemplate:
    """An active catalogue task by title (any case) or ``#id``."""
    ref = ref.strip()
    number = ref_id(ref)
    found = (
        await session.get(TaskTemplate, number)
        if number is not None
        else await catalogue_repo.active_template_titled(session, ref)
    )
    if found is None or not found.active:
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
    return await plan_repeat(
        services,
        session,
        coworker=coworker,
        template=template,
        preset=recurrence.weekly_preset(weekdays, every_other_week=every_other_week),
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
    added = await add_once(
        services, session, coworker=coworker, template=template, day=day, at=at, actor=actor
    )
    return added.task
