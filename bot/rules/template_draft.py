"""A new catalogue task while a support person tells about it in chat, step by step."""

from __future__ import annotations

from dataclasses import dataclass, field

from storage.models import Attachment, AttachmentKind, TaskTemplate, TemplateStep


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
