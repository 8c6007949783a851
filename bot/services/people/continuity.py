"""The continuity figure, after the Swedish Öppna jämförelser indicator: for each
co-worker, how many different staff were in contact with them in the last 14 days (wrote
to them, took their call for help, added a task for them, approved their list), each
counted on the day they did it. Lower is better; the goal is at most 2, their two
contact persons. The exact definition: docs/messages.md, "Continuity"."""

from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.rules.continuity import DAYS, Figure, GroupFigures
from bot.rules.localtime import local_moment
from bot.services.privacy import audit
from storage.models import Group, Person
from storage.repos import continuity as continuity_repo
from storage.repos import organisation as org_repo
from storage.repos import people as people_repo


async def for_groups(
    services: Services, session: AsyncSession, groups: list[Group], actor: Person | None
) -> list[GroupFigures]:
    first_day = services.today() - timedelta(days=DAYS - 1)
    since = local_moment(first_day, time(0), services.zone)
    result = []
    for group in groups:
        coworkers = [p for p in await org_repo.coworkers_of(session, group.id) if p.active]
        pairs = await continuity_repo.staff_contacts(
            session, [p.id for p in coworkers], since, services.now()
        )
        figures = [Figure(p, sum(1 for c, _ in pairs if c == p.id)) for p in coworkers]
        result.append(GroupFigures(group, figures))
    await audit.record(services, session, actor=actor, subject=None, action="continuity.view")
    return result


async def for_staff(services: Services, session: AsyncSession, staff: Person) -> list[GroupFigures]:
    return await for_groups(services, session, await people_repo.groups_for(session, staff), staff)
