"""People's conversation state, one row per (chat, user), read before an update is
processed and written back with the mark that it was done."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ConversationState


async def load(session: AsyncSession, chat_id: int, user_id: int) -> tuple[bytes, datetime] | None:
    row = (
        await session.execute(
            select(ConversationState.state, ConversationState.updated_at).where(
                ConversationState.chat_id == chat_id, ConversationState.user_id == user_id
            )
        )
    ).first()
    return None if row is None else (row.state, row.updated_at)


async def save(
    session: AsyncSession, chat_id: int, user_id: int, state: bytes | None, now: datetime
) -> None:
    """Write the state back; None forgets it (nothing is going on)."""
    if state is None:
        await session.execute(
            delete(ConversationState).where(
                ConversationState.chat_id == chat_id, ConversationState.user_id == user_id
            )
        )
        return
    await session.merge(
        ConversationState(chat_id=chat_id, user_id=user_id, state=state, updated_at=now)
    )


async def forget_before(session: AsyncSession, moment: datetime) -> int:
    """Drop states nobody has touched since ``moment``."""
    result = await session.execute(
        delete(ConversationState).where(ConversationState.updated_at < moment)
    )
    return int(getattr(result, "rowcount", 0))
