"""Queries for the task catalogue as a whole (import and export)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import TaskTemplate


async def active_templates(session: AsyncSession) -> list[TaskTemplate]:
    """Every active template with its steps and attachments, oldest first."""
    statement = select(TaskTemplate).where(TaskTemplate.active.is_(True)).order_by(TaskTemplate.id)
    return list(await session.scalars(statement))
