"""Retention: what is older than its period is deleted, what is newer stays; the audit
trail has its own, longer period."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from bot.context import Services
from bot.rules.clock import MovableClock
from bot.services.people.invites import FAILED_JOIN_WINDOW
from bot.services.privacy import retention
from storage.base import Base
from storage.models import (
    AuditEntry,
    CheckIn,
    CheckInKind,
    DayPlan,
    Direction,
    HelpRequest,
    JoinAttempt,
    Message,
    OutboxMessage,
    OutboxStatus,
    PlanStatus,
    Role,
)
from storage.repos import people


async def rows_of(services: Services, model: type[Base]) -> int:
    async with services.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def a_history(services: Services, kim_id: int, at: datetime, day: date) -> None:
    async with services.sessions.begin() as session:
        session.add_all(
            [
                CheckIn(person_id=kim_id, day=day, kind=CheckInKind.MORNING, value="green",
                        created_at=at),
                Message(coworker_id=kim_id, direction=Direction.FROM_COWORKER, kind="text",
                        body="Hej", source_chat_id=1, source_message_id=1, created_at=at),
                HelpRequest(coworker_id=kim_id, reason="help", created_at=at, notified_ids=[],
                            steps=0),
                DayPlan(coworker_id=kim_id, day=day, status=PlanStatus.SENT, deliver_at=at,
                        created_at=at),
                OutboxMessage(idempotency_key=f"k{at.isoformat()}", chat_id=1, person_id=kim_id,
                              kind="x", payload={}, status=OutboxStatus.SENT, attempts=1,
                              next_attempt_at=at, created_at=at),
                AuditEntry(actor_id=None, subject_id=kim_id, action="plan.view", created_at=at),
            ]
        )  # fmt: skip


async def test_old_data_goes_new_stays(services: Services, clock: MovableClock) -> None:
    now = services.now()
    async with services.sessions.begin() as session:
        kim = await people.add_person(session, name="Kim", role=Role.COWORKER, now=now)
    old, recent, very_old = (
        now - timedelta(days=400),
        now - timedelta(days=30),
        now - timedelta(days=800),
    )
    await a_history(services, kim.id, old, old.date())
    await a_history(services, kim.id, recent, recent.date())
    async with services.sessions.begin() as session:
        session.add(AuditEntry(actor_id=None, subject_id=kim.id, action="x", created_at=very_old))

    counts = await retention.apply(services)
    assert counts == {
        "check_ins": 1,
        "messages": 1,
        "help_requests": 1,
        "day_plans": 1,
        "outbox": 1,
        "audit_entries": 1,  # only the one older than 24 months
        "join_attempts": 0,
    }
    for model in (CheckIn, Message, HelpRequest, DayPlan, OutboxMessage):
        assert await rows_of(services, model) == 1, model
    assert await rows_of(services, AuditEntry) == 2
    assert await retention.apply(services) == dict.fromkeys(counts, 0)


async def test_strangers_failed_joins_are_kept_one_day(services: Services) -> None:
    now = services.now()
    assert retention.JOIN_ATTEMPTS_KEPT >= FAILED_JOIN_WINDOW  # the limit still works
    async with services.sessions.begin() as session:
        session.add_all(
            [
                JoinAttempt(telegram_user_id=6666, attempted_at=now - timedelta(hours=25)),
                JoinAttempt(telegram_user_id=6666, attempted_at=now - timedelta(hours=23)),
                JoinAttempt(telegram_user_id=7777, attempted_at=now - timedelta(days=90)),
            ]
        )
    assert (await retention.apply(services))["join_attempts"] == 2
    async with services.sessions() as session:
        kept = list(await session.scalars(select(JoinAttempt.attempted_at)))
    assert kept == [now - timedelta(hours=23)]
