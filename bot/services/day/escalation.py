"""Escalation of a call for help ("I need help", a red morning check-in).

The first to hear is who owns the co-worker's conversation (:mod:`bot.services.messages.owner`:
who took their last call, for the rest of that shift), else whoever
:func:`bot.services.messages.recipients.who_hears` names (the contact person on duty); when no
member of staff can be told at all, a call for help goes to the admins. If nobody
presses "I'm on it" within ``escalation_minutes``, the next is told: the other contact
person (if on duty), then the group's other staff on duty. Then the two kinds part:

* a call for help the co-worker made: the admins (the group's responsible admin
  first), and when nobody is left, the co-worker is told whom to call (the group's
  phone) and 112;
* a red check-in (the co-worker did not ask): it ends with staff: the group's
  responsible admin (or, when none is set, the admins) is told plainly that nobody has
  taken it. The co-worker never gets the emergency line. When no admin can be reached
  either, that is recorded on the request (``ended_with``) and logged.

Acknowledging stops the chain, tells the co-worker who is coming and settles the
others' alerts (:mod:`bot.services.day.help_alerts`). Each step is kept on the request.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.i18n import Texts
from bot.outbox.queue import queue
from bot.rules.hearer import Hearer
from bot.services.access import Refused, ReviewError
from bot.services.day import help_alerts
from bot.services.messages import owner, routing
from bot.services.messages.recipients import reachable, who_hears
from bot.services.privacy import audit
from bot.views import escalation as views
from storage.models import Group, HelpRequest, Person, PlannedTask
from storage.repos import help_requests as help_repo
from storage.repos import organisation as org_repo
from storage.repos import rota as rota_repo

log = logging.getLogger(__name__)

NOTICE, TO_COWORKER = help_repo.ALERT_KIND, "help_update"
HELP, RED_CHECK_IN = "help", "red_check_in"
COWORKER_TOLD, ADMIN_TOLD, NOBODY = "coworker_told", "admin_told", "nobody"
BATCH = 100


@dataclass(frozen=True)
class Started:
    request: HelpRequest
    hearer: Hearer  # who hears first, and when
    group: Group | None


async def start(
    services: Services,
    session: AsyncSession,
    coworker: Person,
    *,
    reason: str,
    task: PlannedTask | None = None,
) -> Started:
    now = services.now()
    group = await session.get(Group, coworker.group_id) if coworker.group_id else None
    already = await help_repo.open_request(session, coworker.id, task.id if task else None)
    if already is not None:  # pressed again while the first call is still open
        if reason == HELP:  # now the co-worker asks themselves: it is a call for help
            already.reason = HELP
        return Started(already, await _first_hearer(services, session, coworker, now), group)
    request = HelpRequest(
        coworker_id=coworker.id,
        planned_task_id=task.id if task else None,
        reason=reason,
        created_at=now,
        notified_ids=[],
        steps=0,
    )
    session.add(request)
    await session.flush()
    hearer = await _first_hearer(services, session, coworker, now)
    admin = await _next_admin(session, request, coworker) if hearer.person is None else None
    if admin is not None and reason == HELP:
        # Nobody on the staff can be told: the admins are, one at a time, and then the
        # chain ends as usual (the co-worker's own answer says whom to call already).
        await _notify(services, session, request, coworker, task, admin, now)
        request.next_step_at = now + _wait(services)
    elif hearer.person is None:
        # A red check-in goes straight to the group's responsible admin.
        await _exhausted(services, session, request, coworker, group, tell=False)
    else:
        at = hearer.at or now
        await _notify(services, session, request, coworker, task, hearer.person, at)
        request.next_step_at = at + _wait(services)
    await audit.record(services, session, actor=coworker, subject=coworker, action=f"help.{reason}")
    return Started(request, hearer, group)


async def _first_hearer(
    services: Services, session: AsyncSession, coworker: Person, now: datetime
) -> Hearer:
    """Who owns the co-worker's conversation now (who took their last call, for the rest
    of that shift), else who hears them now (:func:`who_hears`)."""
    staff = await owner.owner(services, session, coworker, now)
    if staff is not None:
        return Hearer(staff, None, True)
    return await who_hears(services, session, coworker, now)


def _wait(services: Services) -> timedelta:
    return timedelta(minutes=services.settings.escalation_minutes)


async def _notify(
    services: Services,
    session: AsyncSession,
    request: HelpRequest,
    coworker: Person,
    task: PlannedTask | None,
    staff: Person,
    at: datetime,
    *,
    untaken: bool = False,
) -> None:
    assert staff.telegram_user_id is not None
    group = await session.get(Group, coworker.group_id) if coworker.group_id else None
    rendered = views.notice(
        Texts(staff.language),
        request,
        coworker,
        task,
        group,
        request.created_at,
        services.zone,
        at.astimezone(services.zone).date(),
        untaken=untaken,
    )
    await queue(
        services,
        session,
        staff,
        rendered,
        key=f"help:{request.id}:{len(request.notified_ids)}",
        kind=NOTICE,
        not_before=at,  # someone not on duty yet gets it when they come on duty
    )
    request.notified_ids = [*request.notified_ids, staff.id]
    request.steps += 1
    log.info("help request %s: step %s to staff %s", request.id, request.steps, staff.id)


async def escalate_due(services: Services) -> int:
    """The clock's step: tell the next person of every unacknowledged request whose wait
    is over. Returns how many steps were taken."""
    now = services.now()
    taken = 0
    async with services.sessions.begin() as session:
        for request in await help_repo.due_steps(session, now, BATCH):
            coworker = await session.get_one(Person, request.coworker_id)
            task = (
                await session.get(PlannedTask, request.planned_task_id)
                if request.planned_task_id
                else None
            )
            following = await _next_in_chain(services, session, request, coworker, now)
            if following is None:
                group = await session.get(Group, coworker.group_id) if coworker.group_id else None
                await _exhausted(services, session, request, coworker, group)
            else:
                await _notify(services, session, request, coworker, task, following, now)
                request.next_step_at = now + _wait(services)
            taken += 1
    return taken


async def _next_in_chain(
    services: Services, session: AsyncSession, request: HelpRequest, coworker: Person, now: datetime
) -> Person | None:
    told = set(request.notified_ids)
    contacts = await org_repo.contacts_of(session, coworker.id)
    contact_ids = [contacts.primary_id, contacts.secondary_id] if contacts else []
    staff = await rota_repo.staff_of(session, coworker.group_id) if coworker.group_id else []
    candidates = await rota_repo.persons(session, contact_ids)
    candidates += sorted((p for p in staff if p.id not in contact_ids), key=lambda p: p.id)
    for person in await routing.on_duty_among(services, session, candidates, now):
        if person.id not in told and routing.may_be_chosen(person) and reachable(person):
            return person
    if request.reason != HELP:  # a red check-in ends with the responsible admin instead
        return None
    return await _next_admin(session, request, coworker)


async def _next_admin(
    session: AsyncSession, request: HelpRequest, coworker: Person
) -> Person | None:
    """The next admin not yet told, the group's responsible admin first."""
    group = await session.get(Group, coworker.group_id) if coworker.group_id else None
    first = await help_repo.responsible_admins(session, group)
    ordered = first + [a for a in await help_repo.admins(session) if a not in first]
    return next((a for a in ordered if a.id not in request.notified_ids), None)


async def _exhausted(
    services: Services,
    session: AsyncSession,
    request: HelpRequest,
    coworker: Person,
    group: Group | None,
    *,
    tell: bool = True,
) -> None:
    """Nobody (more) in the chain. A call for help: the co-worker hears whom to call
    (unless ``tell`` is False: their own answer said it). A red check-in: it ends with
    staff, never with the co-worker."""
    now = services.now()
    request.exhausted_at = now
    request.next_step_at = None
    if request.reason != HELP:
        await _to_responsible_admin(services, session, request, coworker)
        return
    request.ended_with = COWORKER_TOLD
    log.warning(
        "help request %s: nobody acknowledged; the co-worker is told whom to call", request.id
    )
    if not tell or coworker.telegram_user_id is None or coworker.unreachable:
        return
    await queue(
        services,
        session,
        coworker,
        views.whom_to_call(Texts(coworker.language), group),
        key=f"help:{request.id}:call",
        kind=TO_COWORKER,
        not_before=now,
    )


async def _to_responsible_admin(
    services: Services, session: AsyncSession, request: HelpRequest, coworker: Person
) -> None:
    """The end of a red check-in's chain: the group's responsible admin (or the admins)
    hear that nobody has taken it; with no admin to tell, it is recorded and logged."""
    group = await session.get(Group, coworker.group_id) if coworker.group_id else None
    told = set(request.notified_ids)
    admins = [a for a in await help_repo.responsible_admins(session, group) if a.id not in told]
    if not admins:
        request.ended_with = NOBODY
        log.error("red check-in %s: nobody took it and no admin can be told", request.id)
        return
    now = services.now()
    for admin in admins:
        await _notify(services, session, request, coworker, None, admin, now, untaken=True)
    request.ended_with = ADMIN_TOLD
    log.warning(
        "red check-in %s: nobody on duty took it; %d admin(s) told", request.id, len(admins)
    )


async def acknowledge(
    services: Services, session: AsyncSession, staff: Person, request_id: int
) -> tuple[HelpRequest, Person, bool]:
    """ "I'm on it": (the request, its co-worker, whether this press took it). Only staff
    who were told may take it; a request already taken says by whom."""
    request = await session.get(HelpRequest, request_id)
    if request is None or staff.id not in request.notified_ids:
        raise ReviewError(Refused.NOT_YOURS)
    coworker = await session.get_one(Person, request.coworker_id)
    if request.acknowledged_at is not None:
        return request, coworker, False
    now = services.now()
    request.acknowledged_at = now
    request.acknowledged_by_id = staff.id
    request.next_step_at = None
    await audit.record(services, session, actor=staff, subject=coworker, action="help.acknowledged")
    if coworker.telegram_user_id is not None and not coworker.unreachable:
        await queue(
            services,
            session,
            coworker,
            views.on_the_way(Texts(coworker.language), staff),
            key=f"help:{request.id}:acknowledged",
            kind=TO_COWORKER,
            not_before=now,
        )
    await help_alerts.settle(services, session, request, staff, coworker)
    return request, coworker, True
