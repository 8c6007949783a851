"""Queries for templates made in chat."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import TaskTemplate
from storage.repos import first


async def active_template_titled(session: AsyncSession, title: str) -> TaskTemplate | None:
    """An active template with this title, ignoring case (ASCII case, as the database sees it)."""
    return await first(
        session,
        select(TaskTemplate).where(
            TaskTemplate.active.is_(True), func.lower(TaskTemplate.title) == title.lower()
        ),
    )
