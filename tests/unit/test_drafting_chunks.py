"""draft_all drafts co-workers a chunk at a time (their data read at once, written in one
flush): it must draft exactly what drafting each co-worker alone does, and one
co-worker's failure must not stop the others."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from bot.context import Services
from bot.rules.clock import MovableClock
from bot.rules.localtime import local_moment
from bot.rules.recurrence import Preset, build_rule
from bot.services.planning import drafting, drafting_everyone
from storage.models import (
    DayPlan,
    Person,
    PlannedTask,
    PlanStatus,
    Recurrence,
    Role,
    TaskStatus,
    TaskTemplate,
)
from storage.repos import people

MONDAY = date(2026, 12, 14)
TUESDAY = MONDAY + timedelta(days=1)
KINDS = 5  # the co-workers' situations (see seed)


async def seed(services: Services, prefix: str, active: bool) -> list[int]:
    """Co-workers in five situations, one of each, with the same catalogue:

    0. a recurring weekday task done yesterday, an added task today;
    1. as 0, and yesterday's unfinished task, which carries over (seen on a sent list);
    2. a recurring task at 09:00 (an appointment) and a stamina of 2 with two added
       tasks of strain 1 and 2: what does not fit moves to Wednesday;
    3. a recurring task paused today, and an unfinished task of a plan never sent;
    4. nothing planned at all.
    """
    now = services.now()
    async with services.sessions.begin() as session:
        titles = ("Torka borden", "Vattna blommorna", "Sortera posten", "Bära kartonger")
        strains = (1, 1, 1, 2)
        templates = [
            TaskTemplate(title=f"{prefix} {t}", strain=s, created_at=now)
            for t, s in zip(titles, strains, strict=True)
        ]
        session.add_all(templates)
        await session.flush()
        wipe, water, sort, carry = templates
        ids = []
        for kind in range(KINDS):
            person = await people.add_person(
                session, name=f"{prefix} {kind}", role=Role.COWORKER, now=now
            )
            person.active = active
            ids.append(person.id)
            if kind == 4:
                continue
            recurrence = Recurrence(
                template_id=wipe.id,
                coworker_id=person.id,
                rrule=build_rule(Preset.WEEKDAYS),
                starts_on=MONDAY - timedelta(days=7),
                time_of_day=time(9, 0) if kind == 2 else None,
                active=True,
            )
            if kind == 3:
                recurrence.paused_from = recurrence.paused_until = TUESDAY
            session.add(recurrence)
            yesterday = DayPlan(
                coworker_id=person.id,
                day=MONDAY,
                status=PlanStatus.DRAFT if kind == 3 else PlanStatus.SENT,
                deliver_at=local_moment(MONDAY, time(8), services.zone),
                created_at=now,
                tasks=[_task(wipe, 1, TaskStatus.DONE)],
            )
            if kind in (1, 3):
                yesterday.tasks.append(_task(sort, 2, TaskStatus.OPEN))
            today = DayPlan(
                coworker_id=person.id,
                day=TUESDAY,
                status=PlanStatus.DRAFT,
                deliver_at=local_moment(TUESDAY, time(8), services.zone),
                created_at=now,
                tasks=[_task(water, 1, TaskStatus.OPEN)],
            )
            if kind == 2:
                person.capacity = 2
                today.tasks.append(_task(carry, 2, TaskStatus.OPEN))
            session.add_all([yesterday, today])
    return ids


def _task(template: TaskTemplate, position: int, status: TaskStatus) -> PlannedTask:
    return PlannedTask(template=template, position=position, status=status, steps_done=[])


async def drafted(services: Services, coworker_ids: list[int]) -> list[list[tuple[object, ...]]]:
    """Each co-worker's plans and tasks, as a person (or their support person) sees them."""
    found = []
    async with services.sessions() as session:
        for coworker_id in coworker_ids:
            plans = await session.scalars(
                select(DayPlan).where(DayPlan.coworker_id == coworker_id).order_by(DayPlan.day)
            )
            found.append(
                [
                    (
                        plan.day,
                        plan.status,
                        plan.deliver_at,
                        task.template.title.split(" ", 1)[1],
                        task.position,
                        task.time_of_day,
                        task.status,
                        task.first_time,
                        task.carried_from,
                        task.seen_on,
                        task.recurrence_id is not None,
                        task.deferred_from,
                        task.deferred_reason,
                    )
                    for plan in plans
                    for task in plan.tasks
                ]
            )
    return found


async def test_drafting_in_chunks_drafts_what_drafting_one_by_one_does(
    services: Services, clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = await seed(services, "A", active=False)  # not drafted by draft_all
    chunked = await seed(services, "B", active=True)
    clock.set(local_moment(TUESDAY, time(6, 0), services.zone))
    for coworker_id in alone:
        async with services.sessions.begin() as session:
            coworker = await session.get_one(Person, coworker_id)
            await drafting.draft_day(services, session, coworker, TUESDAY)
    monkeypatch.setattr(drafting_everyone, "CHUNK", 2)  # three chunks for the five co-workers

    assert await drafting_everyone.draft_all(services, TUESDAY) == KINDS - 1  # all but "nothing"
    assert await drafted(services, chunked) == await drafted(services, alone)
    assert await drafting_everyone.draft_all(services, TUESDAY) == 0


async def test_one_coworker_failing_does_not_stop_the_others_in_the_chunk(
    services: Services, clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = await seed(services, "B", active=True)
    stuck = ids[2]  # a task to move to a later day, and none of them still a draft
    async with services.sessions.begin() as session:
        coworker = await session.get_one(Person, stuck)
        for n in range(1, 100):
            day = TUESDAY + timedelta(days=n)
            session.add(
                DayPlan(
                    coworker_id=stuck,
                    day=day,
                    status=PlanStatus.APPROVED,
                    deliver_at=local_moment(day, coworker.morning_time, services.zone),
                    created_at=services.now(),
                )
            )
    clock.set(local_moment(TUESDAY, time(6, 0), services.zone))
    monkeypatch.setattr(drafting_everyone, "CHUNK", KINDS)  # all in one chunk

    # not "nothing", not stuck:
    assert await drafting_everyone.draft_all(services, TUESDAY) == KINDS - 2
    plans = await drafted(services, ids)
    # The stuck co-worker's day is as it was: nothing added, nothing moved.
    assert [task[3:5] for task in plans[2] if task[0] == TUESDAY] == [
        ("Vattna blommorna", 1),
        ("Bära kartonger", 2),
    ]
    for found in (plans[0], plans[1], plans[3]):
        assert "Vattna blommorna" in [task[3] for task in found if task[0] == TUESDAY]
    assert "Torka borden" in [task[3] for task in plans[0] if task[0] == TUESDAY]
