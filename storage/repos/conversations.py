"""People's conversation state, one row per (chat, user), read before an update is
processed and written back with the mark that it was done."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, bindparam, delete, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ConversationState, Person

Stored = tuple[bytes, datetime]

# Built once (SQLAlchemy keeps their cache keys): every update runs one of them.
_CHAT = bindparam("chat_id", type_=ConversationState.chat_id.type)
_USER = bindparam("user_id", type_=ConversationState.user_id.type)
_IN_CHAT = and_(ConversationState.chat_id == _CHAT, ConversationState.user_id == _USER)
_STATE = select(ConversationState.state, ConversationState.updated_at).where(_IN_CHAT)
# The sender and their state in the chat in one statement: each of them may be missing.
_ONE = select(literal(1).label("one")).subquery()
_SENDER_AND_STATE = (
    select(Person, ConversationState.state, ConversationState.updated_at)
    .select_from(_ONE)
    .outerjoin(Person, Person.telegram_user_id == _USER)
    .outerjoin(ConversationState, _IN_CHAT)
)


async def load(session: AsyncSession, chat_id: int, user_id: int) -> Stored | None:
    row = (await session.execute(_STATE, {"chat_id": chat_id, "user_id": user_id})).first()
    return None if row is None else (row.state, row.updated_at)


async def sender_and_state(
    session: AsyncSession, chat_id: int, user_id: int
) -> tuple[Person | None, Stored | None]:
    """The person with this Telegram id, and their conversation state in the chat."""
    values = {"chat_id": chat_id, "user_id": user_id}
    row = (await session.execute(_SENDER_AND_STATE, values)).one()
    person, state, updated_at = row
    return person, None if state is None else (state, updated_at)


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
