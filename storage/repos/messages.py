"""Queries for the messages between co-workers and staff (the relay)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, true
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Direction, Message, OutboxMessage
from storage.repos import first

RELAY_KINDS = ("relay_header", "relay_copy", "relay_edit")  # a reply to any finds the thread


def relay_key(message_id: int, part: str) -> str:
    return f"relay:{message_id}:{part}"


async def waiting(
    session: AsyncSession, limit: int, *, since: datetime | None = None
) -> list[Message]:
    """Co-workers' messages nobody has received yet (nobody was on duty), oldest first
    (written since ``since``, when given)."""
    written = Message.created_at >= since if since is not None else true()
    return list(
        await session.scalars(
            select(Message)
            .where(
                Message.direction == Direction.FROM_COWORKER,
                Message.relayed_at.is_(None),
                written,
            )
            .order_by(Message.created_at, Message.id)
            .limit(limit)
        )
    )


async def relayed_to(session: AsyncSession, chat_id: int, message_id: int) -> Message | None:
    """The co-worker's message that staff chat ``chat_id`` got as ``message_id`` (the
    copy, or the header line before it), if any."""
    row = await first(
        session,
        select(OutboxMessage).where(
            OutboxMessage.chat_id == chat_id,
            OutboxMessage.telegram_message_id == message_id,
            OutboxMessage.kind.in_(RELAY_KINDS),
        ),
    )
    if row is None:
        return None
    return await session.get(Message, int(row.idempotency_key.split(":")[1]))


ANSWER_KINDS = ("answer_label", "answer_copy")  # what a co-worker sees of a staff message


async def answer_shown_as(session: AsyncSession, chat_id: int, message_id: int) -> Message | None:
    """The staff member's message that co-worker chat ``chat_id`` got as ``message_id``
    (the copy, or the label line before it), if any."""
    row = await first(
        session,
        select(OutboxMessage).where(
            OutboxMessage.chat_id == chat_id,
            OutboxMessage.telegram_message_id == message_id,
            OutboxMessage.kind.in_(ANSWER_KINDS),
        ),
    )
    if row is None:
        return None
    return await session.get(Message, int(row.idempotency_key.split(":")[1]))


async def from_source(
    session: AsyncSession, coworker_id: int, chat_id: int, message_id: int
) -> Message | None:
    """The co-worker's kept message that was ``message_id`` in their chat ``chat_id``."""
    return await first(
        session,
        select(Message).where(
            Message.coworker_id == coworker_id,
            Message.direction == Direction.FROM_COWORKER,
            Message.source_chat_id == chat_id,
            Message.source_message_id == message_id,
        ),
    )


async def last_answer(session: AsyncSession, coworker_id: int, since: datetime) -> Message | None:
    """The latest staff answer to the co-worker since ``since``: whose thread it is."""
    return await first(
        session,
        select(Message)
        .where(
            Message.coworker_id == coworker_id,
            Message.direction == Direction.TO_COWORKER,
            Message.staff_id.is_not(None),
            Message.created_at >= since,
        )
        .order_by(Message.created_at.desc(), Message.id.desc()),
    )


async def relay_rows(session: AsyncSession, message_id: int) -> list[OutboxMessage]:
    """The outbox rows that carry a co-worker's message (headers and copies), in order."""
    return list(
        await session.scalars(
            select(OutboxMessage)
            .where(
                OutboxMessage.idempotency_key.like(f"relay:{message_id}:%"),
                OutboxMessage.kind.in_(RELAY_KINDS),
            )
            .order_by(OutboxMessage.id)
        )
    )
