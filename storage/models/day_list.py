"""What a co-worker's day list shows, as plain values: no table of its own.

The list is rendered after every "Done" and "not today"; read as these rows it costs a
third less than as ORM objects (docs/performance.md). A plan already loaded with its
tasks and their templates converts with :meth:`DayList.of`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from storage.models.days import DayPlan, PlannedTask
from storage.models.enums import TaskStatus


@dataclass(frozen=True, slots=True)
class ListedTask:
    """A task as its line and button on the list show it."""

    id: int
    title: str
    status: TaskStatus
    first_time: bool
    with_support: bool
    time_of_day: time | None
    seen_on: date | None

    @classmethod
    def of(cls, task: PlannedTask) -> ListedTask:
        """The task, loaded with its template."""
        return cls(
            id=task.id,
            title=task.template.title,
            status=task.status,
            first_time=task.first_time,
            with_support=task.with_support,
            time_of_day=task.time_of_day,
            seen_on=task.seen_on,
        )


@dataclass(frozen=True, slots=True)
class DayList:
    """A plan's list: its day, the message it was sent as (None: not sent, or not known)
    and its tasks in order."""

    plan_id: int
    day: date
    list_message_id: int | None
    tasks: tuple[ListedTask, ...]

    @classmethod
    def of(cls, plan: DayPlan) -> DayList:
        """The plan, loaded with its tasks and their templates."""
        return cls(
            plan_id=plan.id,
            day=plan.day,
            list_message_id=plan.list_message_id,
            tasks=tuple(ListedTask.of(task) for task in plan.tasks),
        )

    def task(self, task_id: int) -> ListedTask | None:
        return next((task for task in self.tasks if task.id == task_id), None)
