"""Which Telegram updates have been taken, so a repeated delivery is processed once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ProcessedUpdate


async def claim(session: AsyncSession, update_id: int, now: datetime) -> bool:
    """True for the first instance to take ``update_id``; False for a repeat."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    result = await session.execute(
        insert(ProcessedUpdate)
        .values(update_id=update_id, received_at=now)
        .on_conflict_do_nothing(index_elements=["update_id"])
    )
    return bool(getattr(result, "rowcount", 0))


async def forget_before(session: AsyncSession, moment: datetime) -> int:
    """Drop the record of updates taken before ``moment`` (Telegram gives up on an
    update after about a day, so an older one cannot come again)."""
    result = await session.execute(
        delete(ProcessedUpdate).where(ProcessedUpdate.received_at < moment)
    )
    return int(getattr(result, "rowcount", 0))
