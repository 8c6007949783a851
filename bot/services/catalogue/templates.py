"""The task catalogue: templates made one at a time (in chat)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.rules.template_draft import TemplateDraft
from bot.services.privacy import audit
from storage.models import Person, TaskTemplate
from storage.repos import catalogue as catalogue_repo

TITLE_LENGTH = 120
TEXT_LENGTH = 2000
STEP_LENGTH = 300
MAX_STEPS = 20
MAX_ATTACHMENTS = 10


async def title_taken(session: AsyncSession, title: str) -> bool:
    return await catalogue_repo.active_template_titled(session, title) is not None


async def save_template(
    services: Services, session: AsyncSession, draft: TemplateDraft, author: Person
) -> TaskTemplate:
    template = draft.template()
    template.created_by_id = author.id
    template.created_at = services.now()
    session.add(template)
    await session.flush()
    await audit.record(
        services,
        session,
        actor=author,
        subject=None,
        action="catalogue.create",
        detail=f"template {template.id}",
    )
    return template
