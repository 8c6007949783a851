"""Builders for the co-worker's day tests: a co-worker and their plans, with task statuses."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select

from bot.context import Services
from bot.services.planning import plans as planning
from storage.models import (
    CheckIn,
    DayPlan,
    OutboxMessage,
    Person,
    PlanStatus,
    Role,
    TaskStatus,
    TaskTemplate,
)
from storage.repos import people

DONE, OPEN = TaskStatus.DONE, TaskStatus.OPEN


async def coworker(
    services: Services,
    name: str = "Kim",
    telegram_id: int | None = 5001,
    role: Role = Role.COWORKER,
) -> Person:
    async with services.sessions.begin() as session:
        return await people.add_person(
            session, name=name, role=role, now=services.now(), telegram_user_id=telegram_id
        )


async def plan(
    services: Services,
    person: Person,
    day: date,
    tasks: Sequence[tuple[str, TaskStatus]],
    status: PlanStatus = PlanStatus.SENT,
) -> DayPlan:
    """``person``'s plan for ``day`` with these (title, status) tasks, in order."""
    async with services.sessions.begin() as session:
        stored = await session.get_one(Person, person.id)
        made = await planning.ensure_plan(services, session, stored, day)
        for title, task_status in tasks:
            template = TaskTemplate(title=title, created_at=services.now())
            session.add(template)
            await session.flush()
            task = await planning.add_task(
                services, session, coworker=stored, template=template, day=day
            )
            task.status = task_status
        made.status = status
        if status is PlanStatus.SENT:
            made.sent_at = services.now()
    return made


async def outbox(services: Services) -> list[OutboxMessage]:
    async with services.sessions() as session:
        return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def check_ins(services: Services) -> list[tuple[int, date, str, str]]:
    async with services.sessions() as session:
        rows = await session.scalars(select(CheckIn).order_by(CheckIn.id))
        return [(c.person_id, c.day, c.kind.value, c.value) for c in rows]
