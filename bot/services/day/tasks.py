"""What a co-worker does with a task on their list. Every call checks the task is theirs.

A task's ``steps_done`` holds the 0-based indexes of the template's steps the co-worker
has ticked, sorted. A task the evening drafting has already carried over to the next
list keeps that status whatever the co-worker answers late in the day, except done
(which also takes the copy off the next list): the copy is the one that waits.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.rules.not_today import NOT_TODAY_REASONS
from storage.models import (
    DayList,
    DayPlan,
    Group,
    ListedTask,
    Person,
    PlannedTask,
    PlanStatus,
    TaskStatus,
)
from storage.repos import plans as plan_repo
from storage.repos import reminders as reminder_repo

# Statuses the co-worker can still change by answering: the task is on today's list
# and not finished. A tick, help or "not today" leaves others as they are.
_ANSWERABLE = (TaskStatus.OPEN, TaskStatus.STARTED, TaskStatus.HELP, TaskStatus.NOT_TODAY)


class Outcome(enum.Enum):
    OK = "ok"
    ALREADY_DONE = "already_done"
    OLD_LIST = "old_list"
    NOT_AVAILABLE = "not_available"
    BAD_BUTTON = "bad_button"  # a step or reason that is not there (forged or outdated)
    ASK_FIRST = "ask_first"  # done pressed with steps left: ask before marking it done


@dataclass(frozen=True)
class TaskResult:
    """What came of an answer. ``task`` is the task with its plan and template, except
    after "Done" marked at once: then ``listed`` is the task as the day's list shows it.
    ``day_list`` is the list after the answer, when it was asked for and can be edited
    in place (its message is known)."""

    outcome: Outcome
    task: PlannedTask | None = None
    day_list: DayList | None = None
    listed: ListedTask | None = None

    @property
    def plan(self) -> DayPlan | None:
        return self.task.plan if self.task else None

    @property
    def title(self) -> str:
        """The task's title ("" when it is not available)."""
        if self.task is not None:
            return self.task.template.title
        return self.listed.title if self.listed is not None else ""


async def _own_task(
    session: AsyncSession, person: Person, task_id: int, *, details: bool = False
) -> PlannedTask | None:
    """The task with its plan and template (``details``: the template's steps and
    attachments too), if it is the person's own."""
    task = await plan_repo.task_to_answer(session, task_id, details=details)
    if task is None or task.plan.coworker_id != person.id:
        return None
    return task


async def _with_day_list(session: AsyncSession, result: TaskResult) -> TaskResult:
    """The result with the day's list as it is after the answer, for the door to edit in
    place; a plan whose list message is not known has no list to edit."""
    plan = result.plan
    if plan is None or plan.list_message_id is None:
        return result
    return replace(result, day_list=await plan_repo.listed_day(session, plan.id))


async def _todays_task(
    services: Services,
    session: AsyncSession,
    person: Person,
    task_id: int,
    *,
    details: bool = False,
) -> TaskResult:
    """The person's own task on today's list (OK), or why it is not one."""
    task = await _own_task(session, person, task_id, details=details)
    if task is None:
        return TaskResult(Outcome.NOT_AVAILABLE)
    if task.plan.day != services.today():
        return TaskResult(Outcome.OLD_LIST, task)
    return TaskResult(Outcome.OK, task)


async def _open_todays_task(
    services: Services,
    session: AsyncSession,
    person: Person,
    task_id: int,
    *,
    details: bool = False,
) -> TaskResult:
    """As :func:`_todays_task`, and not done yet."""
    result = await _todays_task(services, session, person, task_id, details=details)
    if result.task is not None and result.task.status is TaskStatus.DONE:
        return TaskResult(Outcome.ALREADY_DONE, result.task)
    return result


def steps_left(task: PlannedTask) -> int:
    """How many of the task's steps are not ticked."""
    ticked = set(task.steps_done)
    return sum(1 for index in range(len(task.template.steps)) if index not in ticked)


async def open_task(
    services: Services, session: AsyncSession, person: Person, task_id: int
) -> TaskResult:
    """The task for its card: with its template's steps and attachments."""
    return await _todays_task(services, session, person, task_id, details=True)


async def remember_card(
    session: AsyncSession, person: Person, task_id: int, message_id: int
) -> None:
    """Keep the message id of the task's card, so it can be found and edited later."""
    task = await _own_task(session, person, task_id)
    if task is not None:
        task.card_message_id = message_id


async def show_steps(
    services: Services, session: AsyncSession, person: Person, task_id: int
) -> TaskResult:
    """The task for its card with the steps: with its template's steps and attachments."""
    return await _open_todays_task(services, session, person, task_id, details=True)


async def tick_step(
    services: Services, session: AsyncSession, person: Person, task_id: int, index: int
) -> TaskResult:
    """Tick a step, or untick it when it was ticked. A first tick starts an open task.
    The task comes with its template's steps and attachments, for its card."""
    result = await _open_todays_task(services, session, person, task_id, details=True)
    task = result.task
    if result.outcome is not Outcome.OK or task is None:
        return result
    if not 0 <= index < len(task.template.steps):
        return TaskResult(Outcome.BAD_BUTTON, task)
    ticked = set(task.steps_done)
    ticked.symmetric_difference_update({index})
    task.steps_done = sorted(ticked)  # a new list, so the JSON column is written
    if task.status in (TaskStatus.OPEN, TaskStatus.NOT_TODAY):
        task.status = TaskStatus.STARTED
    await session.flush()
    return result


async def mark_done(
    services: Services,
    session: AsyncSession,
    person: Person,
    task_id: int,
    *,
    ask_if_steps_left: bool = False,
    day_list: bool = False,
) -> TaskResult:
    """Mark the task done and stop its reminders. With ``ask_if_steps_left`` (the door
    sets it when the co-worker had the steps in front of them), a task with steps not
    ticked is not marked but answered ASK_FIRST, so they can be asked whether
    everything is done.

    The task comes with its plan and its template's title (the steps too with
    ``ask_if_steps_left``), or as the list shows it when it was marked at once; with
    ``day_list``, once marked, the day's list too when it can be edited to show it."""
    if day_list and not ask_if_steps_left:
        done = await _mark_done_at_once(services, session, person, task_id)
        if done is not None:
            return done
    result = await _open_todays_task(services, session, person, task_id, details=ask_if_steps_left)
    task = result.task
    if result.outcome is not Outcome.OK or task is None:
        return result
    if ask_if_steps_left and steps_left(task) > 0:
        return TaskResult(Outcome.ASK_FIRST, task)
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
    await reminder_repo.close_for_task(session, task.id)
    await session.flush()
    return await _with_day_list(session, result) if day_list else result


async def _mark_done_at_once(
    services: Services, session: AsyncSession, person: Person, task_id: int
) -> TaskResult | None:
    """The common "Done" in two or three statements: the task marked (when it is the
    person's own, on today's list and answerable), its reminders closed (when it has one
    waiting), and the day's list read with it (as rows: the list is all the door shows).
    None when the task was left as it is: the caller finds out why."""
    marked = await plan_repo.mark_done_if_answerable(
        session, task_id, person.id, services.today(), services.now(), _ANSWERABLE
    )
    if marked is None:
        return None
    if marked.reminder_waiting:
        await reminder_repo.close_for_task(session, task_id)
    listed = await plan_repo.listed_day(session, marked.plan_id)
    task = listed.task(task_id) if listed is not None else None
    if listed is None or task is None:  # marked in this transaction: it is there
        raise LookupError(f"task {task_id} is not on the list it was marked done on")
    return TaskResult(
        Outcome.OK, day_list=listed if listed.list_message_id is not None else None, listed=task
    )


async def not_today(
    services: Services,
    session: AsyncSession,
    person: Person,
    task_id: int,
    reason_index: int | None = None,
    *,
    day_list: bool = False,
) -> TaskResult:
    """Put the task off to another day, with a reason (an index into
    :data:`NOT_TODAY_REASONS`) once the co-worker has chosen one. The drafting carries
    it over to the next list; its reminders stop. The task comes with its plan and its
    template's title; with ``day_list`` the day's list too, as for :func:`mark_done`."""
    result = await _open_todays_task(services, session, person, task_id)
    task = result.task
    if result.outcome is not Outcome.OK or task is None:
        return result
    if reason_index is not None and not 0 <= reason_index < len(NOT_TODAY_REASONS):
        return TaskResult(Outcome.BAD_BUTTON, task)
    if task.status in _ANSWERABLE:
        task.status = TaskStatus.NOT_TODAY
    task.not_today_reason = None if reason_index is None else NOT_TODAY_REASONS[reason_index]
    await reminder_repo.close_for_task(session, task.id)
    await session.flush()
    return await _with_day_list(session, result) if day_list else result


async def today_plan(services: Services, session: AsyncSession, person: Person) -> DayPlan | None:
    """Today's plan with what its list shows (the tasks and their templates' titles)."""
    return await plan_repo.day_list(session, person.id, services.today())


async def waits_for_approval(session: AsyncSession, person: Person, plan: DayPlan) -> bool:
    """An unapproved draft of a group that waits for approval: not the day's list yet,
    and not to be shown as if it were."""
    if plan.status is not PlanStatus.DRAFT or person.group_id is None:
        return False
    group = await session.get(Group, person.group_id)
    return group is not None and not group.send_unapproved_drafts
