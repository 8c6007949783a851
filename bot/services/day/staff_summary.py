"""The daily group summary: on working days, at ``staff_summary_time``, each support
person gets ``/team`` for their groups without asking (once a day), with what the
co-workers signalled. Staff who are away (an absence in the rota) get none: it would
wait for them, out of date, or reach them on their day off."""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.context import Services
from bot.i18n import Texts
from bot.outbox.queue import queue
from bot.rules.working_days import is_day_off
from bot.services.day.summary import window
from bot.services.people.team import team_today
from bot.views.team import team_view
from storage.models import Person, Role
from storage.repos import organisation as org_repo
from storage.repos import outbox as outbox_repo
from storage.repos import rota as rota_repo

log = logging.getLogger(__name__)

KIND = "staff_summary"
GRACE = timedelta(hours=2)


def _may_get_it(person: Person) -> bool:
    return (
        person.role is Role.SUPPORT
        and person.active
        and not person.unreachable
        and person.telegram_user_id is not None
    )


async def queue_staff_summaries(services: Services) -> int:
    """Queue today's summary for each support person, once; how many were new."""
    due = window(services, services.settings.staff_summary_time, GRACE)
    if due is None or is_day_off(due[0]):
        return 0
    today, moment = due
    queued = 0
    async with services.sessions.begin() as session:
        candidates = list(filter(_may_get_it, await org_repo.all_persons(session)))
        now = services.now()
        away = {
            a.person_id
            for a in await rota_repo.absences_of(
                session, [p.id for p in candidates], now, now + timedelta(seconds=1)
            )
        }
        for staff in (p for p in candidates if p.id not in away):
            key = f"team:{staff.id}:{today.isoformat()}"
            if await outbox_repo.by_key(session, key) is not None:
                continue  # queued on an earlier tick: no need to look again
            groups = await team_today(services, session, staff)
            if not any(group.coworkers for group in groups):
                continue
            assert staff.telegram_user_id is not None
            rendered = team_view(Texts(staff.language), today, groups)
            queued += await queue(
                services, session, staff, rendered, key=key, kind=KIND, useful_until=moment + GRACE
            )
    if queued:
        log.info("queued %s group summaries", queued)
    return queued
