"""Deleting what is older than the retention periods (counts only are reported)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    AuditEntry,
    CheckIn,
    DayPlan,
    HelpRequest,
    JoinAttempt,
    Message,
    OutboxMessage,
    OutboxStatus,
    PlanStatus,
)


async def delete_before(
    session: AsyncSession, before: datetime, before_day: date, audit_before: datetime
) -> dict[str, int]:
    """Check-ins, messages, help requests, sent plans (with their tasks and reminders),
    finished outbox rows older than the cut, and audit entries older than theirs."""
    statements = {
        "check_ins": delete(CheckIn).where(CheckIn.day < before_day),
        "messages": delete(Message).where(Message.created_at < before),
        "help_requests": delete(HelpRequest).where(HelpRequest.created_at < before),
        "day_plans": delete(DayPlan).where(
            DayPlan.day < before_day, DayPlan.status == PlanStatus.SENT
        ),
        "outbox": delete(OutboxMessage).where(
            OutboxMessage.created_at < before, OutboxMessage.status != OutboxStatus.PENDING
        ),
        "audit_entries": delete(AuditEntry).where(AuditEntry.created_at < audit_before),
    }
    counts = {}
    for name, statement in statements.items():
        result = await session.execute(statement)
        counts[name] = int(getattr(result, "rowcount", 0))
    return counts


async def delete_join_attempts_before(session: AsyncSession, before: datetime) -> int:
    """Strangers' failed ``/start <code>`` tries (a Telegram user id and a time)."""
    result = await session.execute(delete(JoinAttempt).where(JoinAttempt.attempted_at < before))
    return int(getattr(result, "rowcount", 0))
