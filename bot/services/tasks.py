"""What a co-worker does with a task on their list. Every call checks the task is theirs."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.context import Services
from storage.models import DayPlan, Person, PlannedTask, TaskStatus
from storage.repos import plans as plan_repo


class Outcome(enum.Enum):
    OK = "ok"
    ALREADY_DONE = "already_done"
    OLD_LIST = "old_list"
    NOT_AVAILABLE = "not_available"


@dataclass(frozen=True)
class TaskResult:
    outcome: Outcome
    task: PlannedTask | None = None

    @property
    def plan(self) -> DayPlan | None:
        return self.task.plan if self.task else None


async def _own_task(session: AsyncSession, person: Person, task_id: int) -> PlannedTask | None:
    task = await plan_repo.planned_task(session, task_id)
    if task is None or task.plan.coworker_id != person.id:
        return None
    return task


async def open_task(
    services: Services, session: AsyncSession, person: Person, task_id: int
) -> TaskResult:
    task = await _own_task(session, person, task_id)
    if task is None:
        return TaskResult(Outcome.NOT_AVAILABLE)
    if task.plan.day != services.today():
        return TaskResult(Outcome.OLD_LIST, task)
    return TaskResult(Outcome.OK, task)


async def mark_done(
    services: Services, session: AsyncSession, person: Person, task_id: int
) -> TaskResult:
    task = await _own_task(session, person, task_id)
    if task is None:
        return TaskResult(Outcome.NOT_AVAILABLE)
    if task.plan.day != services.today():
        return TaskResult(Outcome.OLD_LIST, task)
    if task.status is TaskStatus.DONE:
        return TaskResult(Outcome.ALREADY_DONE, task)
    if task.status is TaskStatus.CARRIED_OVER:
        # Done late in the day, after the evening drafting had moved it on: take the
        # copy off tomorrow's draft so it is not asked for twice.
        origin = task.carried_from or task.plan.day
        for copy in await plan_repo.carried_copies(
            session, person.id, task.template_id, origin, task.plan.day
        ):
            await session.delete(copy)
    task.status = TaskStatus.DONE
    task.done_at = services.now()
    await session.flush()
    return TaskResult(Outcome.OK, task)


async def today_plan(services: Services, session: AsyncSession, person: Person) -> DayPlan | None:
    return await plan_repo.plan_for(session, person.id, services.today())
