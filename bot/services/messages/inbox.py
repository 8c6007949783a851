"""Keeping what a co-worker writes, so nothing they send is lost.

Relaying it to the contact person on duty comes with the routing service; until
then every message is stored with what is needed to relay it later.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from storage.models import Direction, Message, Person


async def keep_from_coworker(
    services: Services,
    session: AsyncSession,
    person: Person,
    *,
    kind: str,
    body: str | None,
    chat_id: int,
    message_id: int,
) -> Message:
    message = Message(
        coworker_id=person.id,
        direction=Direction.FROM_COWORKER,
        kind=kind,
        body=body,
        source_chat_id=chat_id,
        source_message_id=message_id,
        created_at=services.now(),
    )
    session.add(message)
    await session.flush()
    return message
