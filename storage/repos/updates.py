"""Which Telegram updates have been taken, so a repeated delivery is processed once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, delete, text
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ProcessedUpdate

_TABLE = ProcessedUpdate.__table__
# The same SQL on SQLite (3.24 or later) and PostgreSQL. Written out, not built with the
# dialects' ``insert().on_conflict_do_nothing()``: SQLAlchemy cannot cache those, and this
# runs for every update.
_CLAIM = text(
    f"INSERT INTO {ProcessedUpdate.__tablename__} (update_id, received_at)"
    " VALUES (:update_id, :received_at) ON CONFLICT (update_id) DO NOTHING"
).bindparams(
    bindparam("update_id", type_=_TABLE.c.update_id.type),
    bindparam("received_at", type_=_TABLE.c.received_at.type),
)


async def claim(session: AsyncSession, update_id: int, now: datetime) -> bool:
    """True for the first instance to take ``update_id``; False for a repeat."""
    result = await session.execute(_CLAIM, {"update_id": update_id, "received_at": now})
    return bool(getattr(result, "rowcount", 0))


async def forget_before(session: AsyncSession, moment: datetime) -> int:
    """Drop the record of updates taken before ``moment`` (Telegram gives up on an
    update after about a day, so an older one cannot come again)."""
    result = await session.execute(
        delete(ProcessedUpdate).where(ProcessedUpdate.received_at < moment)
    )
    return int(getattr(result, "rowcount", 0))
