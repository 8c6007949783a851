"""A crowd of co-workers with a task on their list: the set-up the load tests, the
cluster tests and the benchmarks share (``benchmarks/`` imports it as the continuity
benchmark imports ``tests.simulation``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.sandbox.server import SandboxServer
from bot.services.planning import plans as planning
from storage.models import Person, PlannedTask, Role, TaskTemplate
from storage.repos import people as people_repo


async def coworkers_with_a_task(
    services: Services,
    session: AsyncSession,
    count: int,
    *,
    first_id: int,
    day: date,
    sandbox: SandboxServer | None = None,
) -> list[tuple[Person, PlannedTask]]:
    """``count`` co-workers on Telegram, "Person 0" onwards with user ids from
    ``first_id``, each with "Vattna blommorna" on ``day``'s plan (a draft); with
    ``sandbox``, each is a user there who has pressed Start. Each with their task, in
    order."""
    template = TaskTemplate(title="Vattna blommorna", created_at=services.now())
    session.add(template)
    await session.flush()
    crowd = []
    for n in range(count):
        person = await people_repo.add_person(
            session,
            name=f"Person {n}",
            role=Role.COWORKER,
            now=services.now(),
            telegram_user_id=first_id + n,
        )
        if sandbox is not None:
            sandbox.state.add_user(first_id + n, f"Person {n}", started=True)
        task = await planning.add_task(
            services, session, coworker=person, template=template, day=day
        )
        crowd.append((person, task))
    return crowd
