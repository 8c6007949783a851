"""Marking a task done, including after the evening drafting carried it over."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.context import Services
from bot.services.day import tasks
from bot.services.planning import drafting_everyone
from storage.models import DayPlan, PlannedTask, TaskStatus
from tests.e2e.helpers import coworker_with_plan


async def test_done_in_the_evening_takes_the_copy_off_tomorrow(services: Services) -> None:
    today = services.today()
    kim, (task,) = await coworker_with_plan(services, name="Kim", telegram_id=1001, day=today)
    assert await drafting_everyone.draft_all(services, today + timedelta(days=1)) == 1
    async with services.sessions() as session:
        carried = await session.get(PlannedTask, task.id)
        copies = list(await session.scalars(select(PlannedTask).where(PlannedTask.id != task.id)))
    assert carried is not None and carried.status is TaskStatus.CARRIED_OVER
    assert [(c.template_id, c.carried_from) for c in copies] == [(task.template_id, today)]

    async with services.sessions.begin() as session:
        result = await tasks.mark_done(services, session, kim, task.id)
    assert result.outcome is tasks.Outcome.OK
    async with services.sessions() as session:
        statuses = [(t.id, t.status) for t in await session.scalars(select(PlannedTask))]
        tomorrow = await session.scalar(
            select(DayPlan).where(DayPlan.day == today + timedelta(days=1))
        )
    assert statuses == [(task.id, TaskStatus.DONE)]
    assert tomorrow is None or tomorrow.tasks == []


async def test_done_twice_is_already_done(services: Services) -> None:
    kim, (task,) = await coworker_with_plan(
        services, name="Kim", telegram_id=1001, day=services.today()
    )
    async with services.sessions.begin() as session:
        first = await tasks.mark_done(services, session, kim, task.id)
    async with services.sessions.begin() as session:
        second = await tasks.mark_done(services, session, kim, task.id)
    assert (first.outcome, second.outcome) == (tasks.Outcome.OK, tasks.Outcome.ALREADY_DONE)
