"""Which relayed message a member of staff answers when they reply to its copy."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Message
from storage.repos import messages as messages_repo


async def answered_message(
    session: AsyncSession, chat_id: int, replied_message_id: int | None
) -> Message | None:
    """The co-worker's message whose copy (``replied_message_id`` in ``chat_id``) the
    reply answers; None when the reply is to no relayed copy, or to nothing."""
    if replied_message_id is None:
        return None
    return await messages_repo.relayed_to(session, chat_id, replied_message_id)
