""" "I need help": the co-worker's press starts an escalation (bot/services/day/escalation.py).

The first to hear is whoever :func:`bot.services.messages.recipients.who_hears` names: the
contact person on duty; when nobody is on duty, whoever comes on duty first, at that
moment; with no rota at all, the co-worker's contact person at once. The co-worker is
told which of these happened and, when nobody on duty was told, the group's phone
number and 112. A second press while the first is still open starts nothing new.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.rules.help import NO_TASK
from bot.services.day import escalation
from bot.services.day.tasks import Outcome
from storage.models import Group, Person, PlannedTask, TaskStatus
from storage.repos import plans as plan_repo
from storage.repos import reminders as reminder_repo

log = logging.getLogger(__name__)

# A task still waiting for an answer; help on it marks it so staff see it on the list.
_MARKABLE = (TaskStatus.OPEN, TaskStatus.STARTED, TaskStatus.NOT_TODAY, TaskStatus.HELP)


@dataclass(frozen=True)
class HelpAsked:
    outcome: Outcome  # OK, or ALREADY_DONE for help on a finished task
    task: PlannedTask | None = None
    told: Person | None = None  # who gets the request (None: nobody can be reached)
    told_at: datetime | None = None  # when they get it, if not now
    told_on_duty: bool = False  # whether they are on duty now
    group: Group | None = None
    request_id: int | None = None  # the escalation started (or still open)


async def ask_for_help(
    services: Services, session: AsyncSession, person: Person, task_id: int
) -> HelpAsked:
    """Record the co-worker's call for help (about ``task_id``, or NO_TASK) and queue it
    for the right member of staff.

    Help is never refused for being stale: on a task from an earlier list it is still
    about that task, and a task that is not (or no longer) the co-worker's own is
    treated as help not about a task, so nothing about another person's task leaks.
    Only help on a task already done is answered as such.
    """
    task = await _own_task(session, person, task_id)
    if task is not None and task.status is TaskStatus.DONE:
        return HelpAsked(Outcome.ALREADY_DONE, task)
    if task is not None:
        if task.status in _MARKABLE:
            task.status = TaskStatus.HELP
        await reminder_repo.close_for_task(session, task.id)
    started = await escalation.start(services, session, person, reason=escalation.HELP, task=task)
    hearer = started.hearer
    if hearer.person is None:
        log.warning("co-worker %s asked for help and no member of staff can be told", person.id)
    return HelpAsked(
        Outcome.OK,
        task,
        hearer.person,
        hearer.at,
        hearer.on_duty,
        started.group,
        started.request.id,
    )


async def _own_task(session: AsyncSession, person: Person, task_id: int) -> PlannedTask | None:
    if task_id == NO_TASK:
        return None
    task = await plan_repo.planned_task(session, task_id)
    return task if task is not None and task.plan.coworker_id == person.id else None
