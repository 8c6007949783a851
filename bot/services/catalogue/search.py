"""Finding a catalogue task while adding it to someone's days: by part of its title, or
the one whose button was pressed."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import TaskTemplate
from storage.repos import catalogue as catalogue_repo


async def titles_matching(session: AsyncSession, text: str, limit: int) -> list[TaskTemplate]:
    """Up to ``limit`` active tasks whose title contains ``text`` (any, for "")."""
    return await catalogue_repo.titles_matching(session, text, limit)


async def active_template(session: AsyncSession, template_id: int) -> TaskTemplate | None:
    """The task, if it is still in the catalogue."""
    return await catalogue_repo.active_template(session, template_id)
