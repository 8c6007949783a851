"""Morning delivery queues each list once, at the co-worker's own wall-clock time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from bot.context import Services
from bot.rules.clock import MovableClock
from bot.rules.localtime import local_moment
from bot.services.day import morning
from bot.services.planning import plans as planning
from bot.services.safety_net import first_list
from storage.models import DayPlan, OutboxMessage, Person, PlanStatus, Role, TaskTemplate
from storage.repos import outbox as outbox_repo
from storage.repos import people
from storage.repos import promises as promises_repo
from tests.coworkers import coworkers_with_a_task

TUESDAY = date(2026, 11, 24)


async def seed(services: Services, day: date = TUESDAY, at: time = time(7, 30)) -> Person:
    async with services.sessions.begin() as session:
        kim = await people.add_person(
            session, name="Kim", role=Role.COWORKER, now=services.now(), telegram_user_id=5001
        )
        kim.morning_time = at
        template = TaskTemplate(title="Vattna blommorna", created_at=services.now())
        session.add(template)
        await session.flush()
        await planning.add_task(services, session, coworker=kim, template=template, day=day)
    return kim


async def outbox(services: Services) -> list[OutboxMessage]:
    async with services.sessions() as session:
        return list(await session.scalars(select(OutboxMessage)))


async def test_nothing_before_the_morning_time_then_exactly_once(
    services: Services, clock: MovableClock
) -> None:
    await seed(services)
    clock.set(local_moment(TUESDAY, time(7, 29), services.zone))
    assert await morning.enqueue_due_lists(services) == 0
    clock.set(local_moment(TUESDAY, time(7, 30, 5), services.zone))
    assert await morning.enqueue_due_lists(services) == 1
    assert await morning.enqueue_due_lists(services) == 0
    rows = await outbox(services)
    # The list, and right after it the morning check-in (bot/services/day/checkins.py).
    assert [row.idempotency_key for row in rows] == [
        f"morning:{rows[0].person_id}:2026-11-24",
        f"checkin:{rows[0].person_id}:2026-11-24",
    ]
    assert rows[0].payload["text"].startswith("God morgon Kim! Idag är det tisdag 24 november.")
    assert rows[0].payload["buttons"][0][0][0] == "1. Vattna blommorna"
    async with services.sessions() as session:
        plan = await session.scalar(select(DayPlan))
    assert plan is not None and plan.status is PlanStatus.SENT


async def test_morning_time_is_local_across_the_dst_change(services: Services) -> None:
    # Summer time ends on 25 October 2026: 07:30 is 05:30 UTC before and 06:30 UTC after.
    before, after = date(2026, 10, 23), date(2026, 10, 26)
    assert local_moment(before, time(7, 30), services.zone) == datetime(
        2026, 10, 23, 5, 30, tzinfo=UTC
    )
    assert local_moment(after, time(7, 30), services.zone) == datetime(
        2026, 10, 26, 6, 30, tzinfo=UTC
    )
    await seed(services, day=after)
    async with services.sessions() as session:
        plan = await session.scalar(select(DayPlan))
    assert plan is not None
    assert plan.deliver_at == datetime(2026, 10, 26, 6, 30, tzinfo=UTC)


async def test_a_morning_long_past_is_not_sent(services: Services, clock: MovableClock) -> None:
    await seed(services)
    grace = timedelta(hours=services.settings.morning_grace_hours)
    clock.set(local_moment(TUESDAY, time(7, 30), services.zone) + grace + timedelta(minutes=1))
    assert await morning.enqueue_due_lists(services) == 0
    assert await outbox(services) == []


async def test_a_person_without_telegram_gets_nothing_queued(
    services: Services, clock: MovableClock
) -> None:
    kim = await seed(services)
    async with services.sessions.begin() as session:
        stored = await session.get(Person, kim.id)
        assert stored is not None
        stored.telegram_user_id = None
    clock.set(local_moment(TUESDAY, time(8, 0), services.zone))
    assert await morning.enqueue_due_lists(services) == 0


async def test_lists_go_in_batches_each_once_with_its_check_in_right_after(
    services: Services, clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock.set(local_moment(TUESDAY - timedelta(days=1), time(12, 0), services.zone))
    async with services.sessions.begin() as session:
        crowd = await coworkers_with_a_task(services, session, 5, first_id=6000, day=TUESDAY)
        coworkers = [person for person, _ in crowd]
        # Person 0 was just told when their first list comes; person 1's list was queued
        # before a crash left its plan unsent.
        await first_list.promise_first_list(services, session, coworkers[0])
        plan = await session.scalar(select(DayPlan).where(DayPlan.coworker_id == coworkers[1].id))
        assert plan is not None
        await outbox_repo.enqueue(
            session,
            key=morning.idempotency_key(coworkers[1].id, plan),
            chat_id=6001,
            person_id=coworkers[1].id,
            kind=morning.KIND,
            payload={"text": "God morgon Person 1!"},
            now=services.now(),
        )
    monkeypatch.setattr(morning, "BATCH", 2)  # three batches for five lists
    clock.set(local_moment(TUESDAY, time(8, 0, 5), services.zone))

    assert await morning.enqueue_due_lists(services) == 5
    assert await morning.enqueue_due_lists(services) == 0
    rows = sorted(await outbox(services), key=lambda row: row.id)
    keys = [row.idempotency_key for row in rows]
    assert len(keys) == len(set(keys)) == 10
    day = TUESDAY.isoformat()
    for person in coworkers:
        at = keys.index(f"morning:{person.id}:{day}")
        if person is not coworkers[1]:  # queued before: its check-in follows at the end
            assert keys[at + 1] == f"checkin:{person.id}:{day}"
    async with services.sessions() as session:
        plans = list(await session.scalars(select(DayPlan)))
        promise = await promises_repo.by_subject(session, first_list.subject(coworkers[0]))
    assert {plan.status for plan in plans} == {PlanStatus.SENT}
    assert promise is not None and promise.outcome == "kept"
