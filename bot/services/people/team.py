"""``/team``: today for each co-worker of the staff member's groups, at a glance."""

from __future__ import annotations

from datetime import time

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.rules.localtime import local_moment
from bot.rules.team import CoworkerToday, GroupToday
from bot.services.privacy import audit
from storage.models import Person, TaskStatus
from storage.repos import organisation as org_repo
from storage.repos import people as people_repo
from storage.repos import team as team_repo


async def team_today(services: Services, session: AsyncSession, staff: Person) -> list[GroupToday]:
    today = services.today()
    since = local_moment(today, time(0), services.zone)
    result = []
    for group in await people_repo.groups_for(session, staff):
        people = [p for p in await org_repo.coworkers_of(session, group.id) if p.active]
        ids = [p.id for p in people]
        plans = await team_repo.plans_on(session, ids, today)
        answers = await team_repo.morning_answers(session, ids, today)
        waiting = await team_repo.unanswered(session, ids, since)
        heavy = await team_repo.heavy_days(session, ids, today)
        ignored = await team_repo.unanswered_reminders(session, ids, since)
        with_contacts = await org_repo.with_contacts(session, ids)
        rows = []
        for person in people:
            tasks = list(plans[person.id].tasks) if person.id in plans else []
            rows.append(
                CoworkerToday(
                    person,
                    answers.get(person.id),
                    sum(1 for t in tasks if t.status is TaskStatus.DONE),
                    len(tasks),
                    sum(1 for t in tasks if t.status is TaskStatus.HELP),
                    waiting.get(person.id, 0),
                    person.id in heavy,
                    tuple(
                        (t.template.title, t.not_today_reason)
                        for t in tasks
                        if t.status is TaskStatus.NOT_TODAY
                    ),
                    ignored.get(person.id, 0),
                    no_contacts=person.id not in with_contacts,
                )
            )
            await audit.record(services, session, actor=staff, subject=person, action="team.view")
        result.append(GroupToday(group, rows))
    return result
