"""Importing checked catalogue tasks: upsert templates by title, in the caller's transaction.

The tasks come from ``catalogue_parse.parse_catalogue``; a template whose stored text,
steps and attachments already match the file is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.i18n import PlainTexts, Texts
from bot.services.catalogue.fileformat import TemplateSpec, attachment_row, step_row
from bot.services.privacy import audit
from storage.models import Attachment, Person, TaskTemplate, TemplateStep
from storage.repos import catalogue as catalogue_repo


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int

    def text(self, t: Texts | PlainTexts) -> str:
        """ "Katalogen är inläst: 3 nya, 1 ändrad." """
        new = (
            t("catalogue.new_one")
            if self.created == 1
            else t("catalogue.new_many", count=self.created)
        )
        changed = (
            t("catalogue.changed_one")
            if self.updated == 1
            else t("catalogue.changed_many", count=self.updated)
        )
        return t("catalogue.imported", new=new, changed=changed)


async def import_catalogue(
    services: Services,
    session: AsyncSession,
    specs: list[TemplateSpec],
    *,
    author: Person | None,
) -> ImportResult:
    """Upsert by title (any case) into the caller's transaction: an active template with
    the title gets the file's text, steps and attachments; a new title is a new template."""
    existing: dict[str, TaskTemplate] = {}
    for old in await catalogue_repo.active_templates(session):
        existing.setdefault(old.title.casefold(), old)
    created = updated = unchanged = 0
    for spec in specs:
        template = existing.get(spec.title.casefold())
        if template is None:
            template = TaskTemplate(
                active=True,
                created_by_id=author.id if author else None,
                created_at=services.now(),
                steps=_steps(spec),
                attachments=_attachments(spec),
            )
            _fill(template, spec)
            session.add(template)
            existing[spec.title.casefold()] = template
            created += 1
            continue
        if _template_fingerprint(template) == spec.fingerprint():
            unchanged += 1
            continue
        _fill(template, spec)
        # Old rows go first, or the new ones would meet them in (template_id, position).
        template.steps.clear()
        template.attachments.clear()
        await session.flush()
        template.steps.extend(_steps(spec))
        template.attachments.extend(_attachments(spec))
        updated += 1
    await session.flush()
    await audit.record(
        services,
        session,
        actor=author,
        subject=None,
        action="catalogue.import",
        detail=f"{created} new, {updated} changed",
    )
    return ImportResult(created=created, updated=updated, unchanged=unchanged)


def _template_fingerprint(template: TaskTemplate) -> tuple[object, ...]:
    """What :meth:`TemplateSpec.fingerprint` gives, read from the stored template."""
    return (
        template.title,
        template.instructions,
        template.goal,
        template.strain,
        template.expected_minutes,
        template.heads_up_minutes,
        template.with_support,
        template.support_part,
        tuple((s.text, s.photo_file_id) for s in template.steps),
        tuple(
            (
                n,
                a.kind,
                a.telegram_file_id,
                a.url,
                a.latitude,
                a.longitude,
                a.caption,
            )
            for n, a in enumerate(template.attachments, 1)
        ),
    )


def _fill(template: TaskTemplate, spec: TemplateSpec) -> None:
    template.title = spec.title
    template.instructions = spec.instructions
    template.goal = spec.goal
    template.strain = spec.strain
    template.expected_minutes = spec.minutes
    template.heads_up_minutes = spec.heads_up_minutes
    template.with_support = spec.with_support
    template.support_part = spec.support_part


def _steps(spec: TemplateSpec) -> list[TemplateStep]:
    rows = (step_row(step) for step in spec.steps)
    return [
        TemplateStep(position=n, text=text, photo_file_id=photo)
        for n, (text, photo) in enumerate(rows, 1)
    ]


def _attachments(spec: TemplateSpec) -> list[Attachment]:
    rows = [attachment_row(n, a) for n, a in enumerate(spec.attachments, 1)]
    return [
        Attachment(
            position=position,
            kind=kind,
            telegram_file_id=file_id,
            url=url,
            latitude=latitude,
            longitude=longitude,
            caption=caption,
        )
        for position, kind, file_id, url, latitude, longitude, caption in rows
    ]
