"""The audit trail: who saw or changed whose data, and when. Never any content."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from storage.models import AuditEntry, Person


async def record(
    services: Services,
    session: AsyncSession,
    *,
    actor: Person | None,
    subject: Person | None,
    action: str,
    detail: str | None = None,
) -> None:
    """``actor`` None means the command line (an operator on the server)."""
    session.add(
        AuditEntry(
            actor_id=actor.id if actor else None,
            subject_id=subject.id if subject else None,
            action=action,
            detail=detail,
            created_at=services.now(),
        )
    )
