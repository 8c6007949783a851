"""A press loads only what its answer shows: the list after "Klar" and "Inte idag" (read
as rows) and today's list read the same as from a plan loaded in full; what is not
loaded raises instead of being fetched by accident."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import InvalidRequestError

from bot.context import Services
from bot.i18n import Texts
from bot.services.day import tasks
from bot.views.morning import morning_list
from storage.models import (
    DayList,
    DayPlan,
    Person,
    PlannedTask,
    Reminder,
    ReminderKind,
    ReminderStatus,
    TaskStatus,
)
from storage.repos import plans as plan_repo
from tests.e2e.helpers import coworker_with_plan

TITLES = ("Vattna blommorna", "Torka borden", "Ta emot leverans")


async def _kim_with_a_sent_list(services: Services) -> tuple[Person, list[PlannedTask]]:
    """Kim's list of three, sent (its message id known), the third waiting for help."""
    kim, planned = await coworker_with_plan(
        services, name="Kim", telegram_id=1001, day=services.today(), titles=TITLES
    )
    async with services.sessions.begin() as session:
        plan = await session.get(DayPlan, planned[0].day_plan_id)
        assert plan is not None
        plan.list_message_id = 77
        helped = await session.get(PlannedTask, planned[2].id)
        assert helped is not None
        helped.status = TaskStatus.HELP
    return kim, planned


async def _list_loaded_in_full(services: Services, plan_id: int) -> DayPlan:
    async with services.sessions() as session:
        plan = await session.get(DayPlan, plan_id)
        assert plan is not None
        return plan


async def test_the_list_after_done_reads_as_from_a_full_load(services: Services) -> None:
    kim, planned = await _kim_with_a_sent_list(services)
    t = Texts("sv")
    async with services.sessions.begin() as session:
        result = await tasks.mark_done(services, session, kim, planned[1].id, day_list=True)
    listed = result.day_list
    assert result.outcome is tasks.Outcome.OK and listed is not None
    assert [task.id for task in listed.tasks] == [p.id for p in planned]
    assert result.listed is listed.tasks[1] and result.title == "Torka borden"
    assert listed.list_message_id == 77
    full = await _list_loaded_in_full(services, listed.plan_id)
    assert full.tasks[1].status is TaskStatus.DONE  # what the list shows is what is stored
    assert morning_list(t, kim, listed) == morning_list(t, kim, DayList.of(full))
    assert "✅ <s>2. Torka borden</s>" in morning_list(t, kim, listed).text
    assert "🙋 3. Ta emot leverans (bett om hjälp)" in morning_list(t, kim, listed).text


async def test_done_brings_no_list_when_its_message_is_not_known(services: Services) -> None:
    kim, planned = await coworker_with_plan(
        services, name="Kim", telegram_id=1001, day=services.today(), titles=TITLES
    )
    async with services.sessions.begin() as session:
        at_once = await tasks.mark_done(services, session, kim, planned[0].id, day_list=True)
        asked = await tasks.mark_done(
            services, session, kim, planned[1].id, ask_if_steps_left=True, day_list=True
        )
        put_off = await tasks.not_today(services, session, kim, planned[2].id, day_list=True)
    assert at_once.outcome is tasks.Outcome.OK and at_once.title == "Vattna blommorna"
    assert asked.outcome is tasks.Outcome.ASK_FIRST and put_off.outcome is tasks.Outcome.OK
    assert (at_once.day_list, asked.day_list, put_off.day_list) == (None, None, None)


async def test_done_after_the_question_brings_the_list_too(services: Services) -> None:
    kim, planned = await _kim_with_a_sent_list(services)
    async with services.sessions.begin() as session:
        await tasks.tick_step(services, session, kim, planned[0].id, 0)
    async with services.sessions.begin() as session:
        result = await tasks.mark_done(
            services, session, kim, planned[0].id, ask_if_steps_left=True, day_list=True
        )
    assert result.outcome is tasks.Outcome.OK and result.task is not None
    assert result.day_list is not None
    assert [task.status for task in result.day_list.tasks] == [
        TaskStatus.DONE,
        TaskStatus.OPEN,
        TaskStatus.HELP,
    ]


async def test_not_today_brings_the_list_only_when_asked(services: Services) -> None:
    kim, planned = await _kim_with_a_sent_list(services)
    async with services.sessions.begin() as session:
        with_list = await tasks.not_today(services, session, kim, planned[0].id, day_list=True)
    assert with_list.day_list is not None
    assert [t.status for t in with_list.day_list.tasks] == [
        TaskStatus.NOT_TODAY,
        TaskStatus.OPEN,
        TaskStatus.HELP,
    ]
    async with services.sessions.begin() as session:
        reason = await tasks.not_today(services, session, kim, planned[0].id, reason_index=0)
    assert reason.task is not None and reason.task.not_today_reason == "tired"
    assert reason.day_list is None
    with pytest.raises(InvalidRequestError):
        _ = reason.task.plan.tasks


async def test_todays_list_reads_as_from_a_full_load(services: Services) -> None:
    kim, planned = await _kim_with_a_sent_list(services)
    t = Texts("en")
    async with services.sessions() as session:
        lean = await plan_repo.day_list(session, kim.id, services.today())
        rows = await plan_repo.listed_day(session, planned[0].day_plan_id)
    assert lean is not None and rows is not None
    full = await _list_loaded_in_full(services, planned[0].day_plan_id)
    assert morning_list(t, kim, DayList.of(lean)) == morning_list(t, kim, DayList.of(full))
    assert rows == DayList.of(full)


async def test_a_card_press_brings_the_steps(services: Services) -> None:
    kim, planned = await _kim_with_a_sent_list(services)
    async with services.sessions.begin() as session:
        opened = await tasks.open_task(services, session, kim, planned[0].id)
        asked = await tasks.mark_done(
            services, session, kim, planned[1].id, ask_if_steps_left=True, day_list=True
        )
    assert opened.task is not None and [s.text for s in opened.task.template.steps] == ["Gör det."]
    assert opened.task.template.attachments == []
    assert asked.outcome is tasks.Outcome.ASK_FIRST  # one step, not ticked


async def test_done_closes_the_tasks_waiting_reminders_and_no_other(services: Services) -> None:
    kim, planned = await _kim_with_a_sent_list(services)
    rows = [  # (task, kind, status): Torka borden's due reminder was sent, its snooze waits
        (planned[1], ReminderKind.DUE, ReminderStatus.SENT),
        (planned[1], ReminderKind.SNOOZE, ReminderStatus.PENDING),
        (planned[0], ReminderKind.DUE, ReminderStatus.PENDING),
    ]
    async with services.sessions.begin() as session:
        for task, kind, status in rows:
            session.add(
                Reminder(
                    planned_task_id=task.id, person_id=kim.id, kind=kind, status=status,
                    due_at=services.now(), created_at=services.now(),
                )
            )  # fmt: skip
    async with services.sessions.begin() as session:
        first = await tasks.mark_done(services, session, kim, planned[1].id, day_list=True)
        none_waiting = await tasks.mark_done(services, session, kim, planned[1].id, day_list=True)
    assert first.outcome is tasks.Outcome.OK
    assert none_waiting.outcome is tasks.Outcome.ALREADY_DONE
    async with services.sessions() as session:
        found = await session.execute(
            select(Reminder.planned_task_id, Reminder.kind, Reminder.status)
        )
        statuses = {(task_id, kind): status for task_id, kind, status in found}
    assert statuses == {
        (planned[1].id, ReminderKind.DUE): ReminderStatus.SENT,
        (planned[1].id, ReminderKind.SNOOZE): ReminderStatus.ANSWERED,
        (planned[0].id, ReminderKind.DUE): ReminderStatus.PENDING,
    }
