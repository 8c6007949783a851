"""Morning delivery queues each list once, at the co-worker's own wall-clock time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from bot.clock import MovableClock
from bot.services import morning, planning
from bot.services.context import Services
from bot.timeutil import local_moment
from storage.models import DayPlan, OutboxMessage, Person, PlanStatus, Role, TaskTemplate
from storage.repos import people

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
    # The list, and right after it the morning check-in (bot/services/checkins.py).
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
