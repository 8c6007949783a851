"""The task catalogue: templates made one at a time (in chat)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.context import Services
from bot.services.privacy import audit
from storage.models import Attachment, AttachmentKind, Person, TaskTemplate, TemplateStep
from storage.repos import catalogue as catalogue_repo

TITLE_LENGTH = 120
TEXT_LENGTH = 2000
STEP_LENGTH = 300
MAX_STEPS = 20
MAX_ATTACHMENTS = 10


@dataclass
class AttachmentDraft:
    kind: AttachmentKind
    file_id: str | None = None
    url: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    caption: str | None = None


@dataclass
class TemplateDraft:
    """What a support person has told so far about a new task."""

    title: str = ""
    instructions: str = ""
    goal: str = ""
    steps: list[str] = field(default_factory=list)
    step_photos: dict[int, str] = field(default_factory=dict)  # step number: picture's file id
    strain: int = 1
    minutes: int = 30
    with_support: bool = False
    support_part: str | None = None
    attachments: list[AttachmentDraft] = field(default_factory=list)

    def template(self) -> TaskTemplate:
        """An unsaved template, for a preview or to be added to the session."""
        return TaskTemplate(
            title=self.title,
            instructions=self.instructions,
            goal=self.goal,
            strain=self.strain,
            expected_minutes=self.minutes,
            with_support=self.with_support,
            support_part=self.support_part,
            active=True,
            steps=[
                TemplateStep(position=n, text=s, photo_file_id=self.step_photos.get(n))
                for n, s in enumerate(self.steps, 1)
            ],
            attachments=[
                Attachment(
                    position=n,
                    kind=a.kind,
                    telegram_file_id=a.file_id,
                    url=a.url,
                    latitude=a.latitude,
                    longitude=a.longitude,
                    caption=a.caption,
                )
                for n, a in enumerate(self.attachments, 1)
            ],
        )


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
