"""The coming days as they will be: the plan drafting would make for a day not drafted
yet (recurrences, carry-over, additions, deferrals from the days before it).

The projection runs the real drafting, day by day from today, inside a SAVEPOINT that
is always rolled back: nothing is written, and what is shown can never differ from
what the rules will do, as things stand now. A draft is drafted again (a task added
by hand makes a draft that holds only that task until the evening run); approved and
sent plans come out as they are stored (drafting leaves them alone).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.rules.projection import ProjectedDay, ProjectedDeferral, ProjectedTask
from bot.services.planning import drafting
from storage.models import Person, TaskStatus
from storage.repos import outlook as outlook_repo
from storage.repos import plans as plan_repo


async def project(
    services: Services,
    session: AsyncSession,
    coworker: Person,
    last: date,
    *,
    carry_today: bool = True,
) -> dict[date, ProjectedDay]:
    """Every day from today to ``last``, as drafting would make it now.

    ``carry_today`` False: today's unfinished tasks are not assumed left undone (what a
    co-worker sees of their coming days is what is planned, not a guess about today).
    """
    today = services.today()
    stored = {
        plan.day: plan.status
        for plan in await outlook_repo.plans_between(session, coworker.id, today, last)
    }
    begun_by = today if carry_today else today - timedelta(days=1)
    days: dict[date, ProjectedDay] = {}
    savepoint = await session.begin_nested()
    try:
        day = today
        while day <= last:
            drafted = await drafting.draft_day(services, session, coworker, day, begun_by=begun_by)
            plan = await plan_repo.plan_for(session, coworker.id, day)
            tasks = [
                ProjectedTask(
                    task.template.title,
                    task.template.strain,
                    task.time_of_day,
                    task.first_time,
                    task.with_support,
                    task.carried_from,
                    task.seen_on,
                )
                for task in (plan.tasks if plan else [])
                if task.status is not TaskStatus.CARRIED_OVER
            ]
            deferred = [
                ProjectedDeferral(d.task.template.title, d.reason.value, d.to_day)
                for d in drafted.deferred
            ]
            days[day] = ProjectedDay(day, stored.get(day), tuple(tasks), tuple(deferred))
            day += timedelta(days=1)
    finally:
        await savepoint.rollback()
    return days
