"""Queries for the task catalogue as a whole (import and export)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import TaskTemplate


async def active_templates(session: AsyncSession) -> list[TaskTemplate]:
    """Every active template with its steps and attachments, oldest first."""
    statement = select(TaskTemplate).where(TaskTemplate.active.is_(True)).order_by(TaskTemplate.id)
    return list(await session.scalars(statement))


async def active_template_titled(session: AsyncSession, title: str) -> TaskTemplate | None:
    """The active template with this title in any case (Å and å too, which the database's
    ``lower`` does not know), or None."""
    wanted = title.strip().casefold()
    return next((t for t in await active_templates(session) if t.title.casefold() == wanted), None)


async def active_template(session: AsyncSession, template_id: int) -> TaskTemplate | None:
    found = await session.get(TaskTemplate, template_id)
    return found if found is not None and found.active else None


async def titles_matching(session: AsyncSession, text: str, limit: int) -> list[TaskTemplate]:
    """Active templates whose title contains ``text`` in any case (Å and å too), those
    starting with it first, then by title; all of them, by title, when ``text`` is empty."""
    wanted = " ".join(text.split()).casefold()
    statement = select(TaskTemplate).where(TaskTemplate.active.is_(True))
    found = [t for t in await session.scalars(statement) if wanted in t.title.casefold()]
    found.sort(key=lambda t: (not t.title.casefold().startswith(wanted), t.title.casefold(), t.id))
    return found[:limit]
