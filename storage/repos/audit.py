"""Reading the audit trail: who saw or changed whose data."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEntry

LIMIT = 1000


async def entries(
    session: AsyncSession, *, subject_id: int | None, since: datetime | None
) -> list[AuditEntry]:
    """Entries about ``subject_id`` (any subject when None) from ``since``, oldest first;
    at most the newest ``LIMIT``."""
    statement = select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    if subject_id is not None:
        statement = statement.where(AuditEntry.subject_id == subject_id)
    if since is not None:
        statement = statement.where(AuditEntry.created_at >= since)
    return list(reversed(list(await session.scalars(statement.limit(LIMIT)))))
