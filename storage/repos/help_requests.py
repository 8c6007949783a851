"""Queries for calls for help and their escalation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Group, HelpRequest, OutboxMessage, Person, Role
from storage.repos import first

ALERT_KIND = "help_request"  # the outbox kind of an alert to staff


async def due_steps(session: AsyncSession, now: datetime, limit: int) -> list[HelpRequest]:
    """Unacknowledged requests whose next escalation step has come, oldest first."""
    statement = (
        select(HelpRequest)
        .where(
            HelpRequest.acknowledged_at.is_(None),
            HelpRequest.exhausted_at.is_(None),
            HelpRequest.next_step_at <= now,
        )
        .order_by(HelpRequest.next_step_at, HelpRequest.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update(skip_locked=True)
    return list(await session.scalars(statement))


async def admins(session: AsyncSession) -> list[Person]:
    """Active admins on Telegram, lowest id first: the last step of every chain."""
    return list(
        await session.scalars(
            select(Person)
            .where(
                Person.role == Role.ADMIN,
                Person.active.is_(True),
                Person.unreachable.is_(False),
                Person.telegram_user_id.is_not(None),
            )
            .order_by(Person.id)
        )
    )


async def open_request(
    session: AsyncSession, coworker_id: int, task_id: int | None
) -> HelpRequest | None:
    """The co-worker's call for help about ``task_id`` (None: not about a task) that is
    still open: nobody has taken it and the chain has not run out."""
    task_is = (
        HelpRequest.planned_task_id.is_(None)
        if task_id is None
        else HelpRequest.planned_task_id == task_id
    )
    return await first(
        session,
        select(HelpRequest)
        .where(
            HelpRequest.coworker_id == coworker_id,
            task_is,
            HelpRequest.acknowledged_at.is_(None),
            HelpRequest.exhausted_at.is_(None),
        )
        .order_by(HelpRequest.id.desc()),
    )


async def responsible_admins(session: AsyncSession, group: Group | None) -> list[Person]:
    """Who ends a red check-in's chain: the group's responsible admin when set and on
    Telegram; otherwise (the sensible fallback) every active admin on Telegram."""
    everyone = await admins(session)
    if group is not None and group.responsible_admin_id is not None:
        chosen = [a for a in everyone if a.id == group.responsible_admin_id]
        if chosen:
            return chosen
    return everyone


async def last_taken(session: AsyncSession, coworker_id: int) -> HelpRequest | None:
    """The co-worker's call for help (or red check-in) taken most recently."""
    return await first(
        session,
        select(HelpRequest)
        .where(
            HelpRequest.coworker_id == coworker_id,
            HelpRequest.acknowledged_at.is_not(None),
        )
        .order_by(HelpRequest.acknowledged_at.desc(), HelpRequest.id.desc()),
    )


async def alerts(session: AsyncSession, request_id: int) -> list[OutboxMessage]:
    """The alerts of a request (``help:<id>:<n>``), in the order they were queued."""
    return list(
        await session.scalars(
            select(OutboxMessage)
            .where(
                OutboxMessage.idempotency_key.like(f"help:{request_id}:%"),
                OutboxMessage.kind == ALERT_KIND,
            )
            .order_by(OutboxMessage.id)
        )
    )
