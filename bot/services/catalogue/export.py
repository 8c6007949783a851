"""Exporting the catalogue: every active template as a YAML file that importing reads back.

The file is in the format of ``catalogue_format``; ``catalogue_parse.parse_catalogue``
reads it back to the same tasks.
"""

from __future__ import annotations

from typing import Literal

import yaml
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Attachment, AttachmentKind, TaskTemplate, TemplateStep
from storage.repos import catalogue as catalogue_repo

HEADER = "# Vardag task catalogue: `vardag import FILE` reads it back. See docs/catalogue.md.\n"


class _Dumper(yaml.SafeDumper):
    """Text over several lines as a ``|`` block, the way a person would write it."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style: Literal["|"] | None = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


async def export_catalogue(session: AsyncSession) -> str:
    """All active templates as a catalogue file that :func:`parse_catalogue` reads back."""
    tasks = [_exported(t) for t in await catalogue_repo.active_templates(session)]
    body = yaml.dump(
        {"tasks": tasks},
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )
    return HEADER + body


def _exported(template: TaskTemplate) -> dict[str, object]:
    task: dict[str, object] = {"title": template.title}
    if template.instructions:
        task["instructions"] = template.instructions
    if template.goal:
        task["goal"] = template.goal
    if template.steps:
        task["steps"] = [_exported_step(s) for s in template.steps]
    task["strain"] = template.strain
    task["minutes"] = template.expected_minutes
    if template.heads_up_minutes:
        task["heads_up_minutes"] = template.heads_up_minutes
    if template.with_support:
        task["with_support"] = True
    if template.support_part:
        task["support_part"] = template.support_part
    attachments = [_exported_attachment(a) for a in template.attachments]
    if attachments:
        task["attachments"] = attachments
    return task


def _exported_step(step: TemplateStep) -> str | dict[str, str]:
    """A step's text, or its text and picture."""
    if step.photo_file_id is None:
        return step.text
    return {"text": step.text, "photo": step.photo_file_id}


def _exported_attachment(attachment: Attachment) -> dict[str, object]:
    item: dict[str, object]
    if attachment.kind is AttachmentKind.LOCATION:
        item = {"location": {"latitude": attachment.latitude, "longitude": attachment.longitude}}
    elif attachment.kind is AttachmentKind.LINK:
        item = {"link": attachment.url}
    else:
        item = {attachment.kind.value: attachment.telegram_file_id}
    if attachment.caption:
        item["caption"] = attachment.caption
    return item
