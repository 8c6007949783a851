"""The daily group summary: once on a working day at its time, to support persons on
Telegram whose groups have co-workers; not at the weekend."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select

from bot.context import Services
from bot.rules.clock import MovableClock
from bot.rules.localtime import local_moment
from bot.services.day import staff_summary
from storage.models import Group, OutboxMessage, Role
from storage.repos import people


async def a_group(services: Services) -> None:
    async with services.sessions.begin() as session:
        rutt = Group(name="Rutt 1", created_at=services.now())
        empty = Group(name="Rutt 2", created_at=services.now())
        session.add_all([rutt, empty])
        await session.flush()
        for name, role, group, user in (
            ("Anna", Role.SUPPORT, rutt, 2001),
            ("Bo", Role.SUPPORT, rutt, None),  # not on Telegram
            ("Cia", Role.SUPPORT, empty, 2003),  # a group without co-workers
            ("Kim", Role.COWORKER, rutt, 1001),
        ):
            await people.add_person(
                session, name=name, role=role, now=services.now(), group=group,
                telegram_user_id=user,
            )  # fmt: skip


async def queued(services: Services) -> list[tuple[int, str]]:
    async with services.sessions() as session:
        rows = await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        return [(r.chat_id, r.payload["text"].splitlines()[0]) for r in rows]


async def test_once_on_a_working_day_at_its_time(services: Services, clock: MovableClock) -> None:
    await a_group(services)
    tuesday = date(2026, 11, 24)
    clock.set(local_moment(tuesday, time(15, 44), services.zone))
    assert await staff_summary.queue_staff_summaries(services) == 0
    clock.set(local_moment(tuesday, time(15, 45, 30), services.zone))
    assert await staff_summary.queue_staff_summaries(services) == 1
    clock.advance(timedelta(minutes=5))
    assert await staff_summary.queue_staff_summaries(services) == 0
    assert await queued(services) == [(2001, "Idag, tisdag 24 november")]


async def test_not_at_the_weekend(services: Services, clock: MovableClock) -> None:
    await a_group(services)
    clock.set(local_moment(date(2026, 11, 28), time(15, 46), services.zone))
    assert await staff_summary.queue_staff_summaries(services) == 0
    assert await queued(services) == []
