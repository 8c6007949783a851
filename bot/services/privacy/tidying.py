"""Forgetting what is only kept for a while: updates processed long ago (Telegram does
not deliver an update again after a day) and conversation states nobody touched since."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage.repos import conversations as conversations_repo
from storage.repos import inbox as inbox_repo


async def forget_before(session: AsyncSession, before: datetime) -> tuple[int, int]:
    """(updates forgotten, conversation states forgotten), both last touched before ``before``."""
    updates = await inbox_repo.purge_before(session, before)
    states = await conversations_repo.forget_before(session, before)
    return updates, states
