"""The task catalogue as a YAML file: read (all or nothing), import (upsert by title), export.

The format (see ``docs/catalogue.md``)::

    tasks:
      - title: Duka borden            # required, at most 120 characters
        instructions: Lägg på dukar.  # what to do
        goal: Gästerna ska trivas.    # why we do it
        steps: [Hämta dukarna., Lägg en duk på varje bord.]
        strain: lätt                  # 1-3, light/medium/heavy or lätt/medel/tung
        minutes: 20
        heads_up_minutes: 15          # optional: a reminder this long before a timed task
        with_support: false
        support_part: Ringer leverantören.
        attachments:
          - {photo: FILE_ID, caption: …}
          - {document: FILE_ID, caption: …}
          - {link: https://…, caption: …}
          - {location: {latitude: 59.33, longitude: 18.06}, caption: …}

A file that is wrong anywhere is refused whole, with one reason naming the line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    field_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError
from sqlalchemy.ext.asyncio import AsyncSession
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.i18n import Texts
from bot.services import audit
from bot.services.catalogue import (
    MAX_ATTACHMENTS,
    MAX_STEPS,
    STEP_LENGTH,
    TEXT_LENGTH,
    TITLE_LENGTH,
)
from bot.services.context import Services
from storage.models import Attachment, AttachmentKind, Person, TaskTemplate, TemplateStep
from storage.repos import catalogue as catalogue_repo

MAX_BYTES = 1024 * 1024  # 1 MB
MAX_TASKS = 1000
MAX_MINUTES = 480
MAX_HEADS_UP_MINUTES = 240
FILE_ID_LENGTH = 255
URL_LENGTH = 2048
CAPTION_LENGTH = 1024

STRAIN_WORDS = {
    "light": 1,
    "medium": 2,
    "heavy": 3,
    "lätt": 1,
    "medel": 2,
    "tung": 3,
}
RANGES = {
    "minutes": (1, MAX_MINUTES),
    "heads_up_minutes": (1, MAX_HEADS_UP_MINUTES),
    "latitude": (-90, 90),
    "longitude": (-180, 180),
}
_TAG = "kind:"  # marks the attachment kind in pydantic's error locations


class CatalogueFileError(Exception):
    """The file is refused. ``reason`` names ``catalogue.reason.<reason>`` in the catalogues;
    ``line`` (1-based) and ``field`` say where, when known."""

    def __init__(
        self,
        reason: str,
        /,
        *,
        line: int | None = None,
        field: str | None = None,
        **values: object,
    ) -> None:
        where = f"line {line}, {field}: " if field else f"line {line}: " if line else ""
        super().__init__(f"{where}{reason} {values or ''}".strip())
        self.reason = reason
        self.line = line
        self.field = field
        self.values = values

    def text(self, t: Texts) -> str:
        """One line for a person, in their language."""
        why = t(f"catalogue.reason.{self.reason}", **self.values)
        if self.line is None:
            return t("catalogue.error", reason=why)
        if self.field is None:
            return t("catalogue.error_line", line=self.line, reason=why)
        return t("catalogue.error_field", line=self.line, field=self.field, reason=why)


# --- the format ------------------------------------------------------------------------

_STRICT = ConfigDict(strict=True, extra="forbid", str_strip_whitespace=True, frozen=True)
Caption = Annotated[str | None, Field(default=None, max_length=CAPTION_LENGTH)]
FileId = Annotated[str, Field(min_length=1, max_length=FILE_ID_LENGTH)]


class PhotoSpec(BaseModel):
    model_config = _STRICT
    photo: FileId
    caption: Caption = None


class DocumentSpec(BaseModel):
    model_config = _STRICT
    document: FileId
    caption: Caption = None


class LinkSpec(BaseModel):
    model_config = _STRICT
    link: Annotated[str, Field(max_length=URL_LENGTH)]
    caption: Caption = None

    @field_validator("link")
    @classmethod
    def _web_address(cls, value: str) -> str:
        parts = urlsplit(value)
        if (
            parts.scheme not in ("http", "https")
            or not parts.netloc
            or any(c.isspace() for c in value)
        ):
            raise PydanticCustomError("url", "not an http(s) address")
        return value


class Point(BaseModel):
    model_config = _STRICT
    latitude: Annotated[float, Field(ge=-90, le=90)]
    longitude: Annotated[float, Field(ge=-180, le=180)]


class LocationSpec(BaseModel):
    model_config = _STRICT
    location: Point
    caption: Caption = None


_KINDS = ("photo", "document", "link", "location")


def _attachment_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        present = [kind for kind in _KINDS if kind in value]
        if len(present) == 1:
            return _TAG + present[0]
    elif isinstance(value, PhotoSpec | DocumentSpec | LinkSpec | LocationSpec):
        return _TAG + _kind_of(value).value
    return None


AttachmentSpec = Annotated[
    Annotated[PhotoSpec, Tag(_TAG + "photo")]
    | Annotated[DocumentSpec, Tag(_TAG + "document")]
    | Annotated[LinkSpec, Tag(_TAG + "link")]
    | Annotated[LocationSpec, Tag(_TAG + "location")],
    Discriminator(
        _attachment_kind,
        custom_error_type="attachment",
        custom_error_message="one of photo, document, link, location",
    ),
]


def _kind_of(spec: PhotoSpec | DocumentSpec | LinkSpec | LocationSpec) -> AttachmentKind:
    if isinstance(spec, PhotoSpec):
        return AttachmentKind.PHOTO
    if isinstance(spec, DocumentSpec):
        return AttachmentKind.DOCUMENT
    if isinstance(spec, LinkSpec):
        return AttachmentKind.LINK
    return AttachmentKind.LOCATION


class TemplateSpec(BaseModel):
    """One task of the file, checked; what :func:`import_catalogue` stores."""

    model_config = _STRICT

    title: Annotated[str, Field(min_length=1, max_length=TITLE_LENGTH)]
    instructions: Annotated[str, Field(max_length=TEXT_LENGTH)] = ""
    goal: Annotated[str, Field(max_length=TEXT_LENGTH)] = ""
    steps: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=STEP_LENGTH)]],
        Field(max_length=MAX_STEPS),
    ] = []
    strain: int = 1
    minutes: Annotated[int, Field(ge=1, le=MAX_MINUTES)] = 30
    heads_up_minutes: Annotated[int | None, Field(ge=1, le=MAX_HEADS_UP_MINUTES)] = None
    with_support: bool = False
    support_part: Annotated[str | None, Field(max_length=TEXT_LENGTH)] = None
    attachments: Annotated[list[AttachmentSpec], Field(max_length=MAX_ATTACHMENTS)] = []

    @field_validator("strain", mode="before")
    @classmethod
    def _strain(cls, value: Any) -> int:
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 3:
            return value
        if isinstance(value, str) and value.strip().lower() in STRAIN_WORDS:
            return STRAIN_WORDS[value.strip().lower()]
        raise PydanticCustomError("strain", "1-3 or light/medium/heavy")

    @field_validator("support_part")
    @classmethod
    def _no_empty_part(cls, value: str | None) -> str | None:
        return value or None

    def fingerprint(self) -> tuple[object, ...]:
        """Everything stored, to tell whether an import changes a template."""
        return (
            self.title,
            self.instructions,
            self.goal,
            self.strain,
            self.minutes,
            self.heads_up_minutes,
            self.with_support,
            self.support_part,
            tuple(self.steps),
            tuple(_attachment_row(n, a) for n, a in enumerate(self.attachments, 1)),
        )


class _CatalogueFile(BaseModel):
    model_config = _STRICT
    tasks: list[TemplateSpec]


def _attachment_row(
    position: int, spec: PhotoSpec | DocumentSpec | LinkSpec | LocationSpec
) -> tuple[object, ...]:
    kind = _kind_of(spec)
    file_id = spec.photo if isinstance(spec, PhotoSpec) else None
    if isinstance(spec, DocumentSpec):
        file_id = spec.document
    url = spec.link if isinstance(spec, LinkSpec) else None
    point = spec.location if isinstance(spec, LocationSpec) else None
    return (
        position,
        kind,
        file_id,
        url,
        point.latitude if point else None,
        point.longitude if point else None,
        spec.caption,
    )


def _template_fingerprint(template: TaskTemplate) -> tuple[object, ...]:
    return (
        template.title,
        template.instructions,
        template.goal,
        template.strain,
        template.expected_minutes,
        template.heads_up_minutes,
        template.with_support,
        template.support_part,
        tuple(s.text for s in template.steps),
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


# --- reading -----------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """A file's bytes as text: at most 1 MB, UTF-8 (a byte order mark is allowed)."""
    if len(data) > MAX_BYTES:
        raise CatalogueFileError("too_big", limit="1 MB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CatalogueFileError("encoding") from None


def parse_catalogue(text: str) -> list[TemplateSpec]:
    """The tasks of a catalogue file, or :class:`CatalogueFileError` for the whole file."""
    if len(text.encode("utf-8", errors="replace")) > MAX_BYTES:
        raise CatalogueFileError("too_big", limit="1 MB")
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            raise CatalogueFileError("empty")
        _check_nodes(root)
        data = loader.construct_document(root)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "?"
        raise CatalogueFileError(
            "syntax", line=mark.line + 1 if mark else None, problem=problem
        ) from None
    except (yaml.YAMLError, ValueError) as exc:
        # A reader error (a control character), or a value YAML cannot build (2026-13-45).
        raise CatalogueFileError("syntax", problem=(str(exc) or "?").splitlines()[0]) from None
    finally:
        loader.dispose()
    tasks = _tasks_node(root)
    if len(tasks.value) > MAX_TASKS:
        raise CatalogueFileError(
            "too_many_tasks", line=_line(tasks.value[MAX_TASKS]), limit=MAX_TASKS
        )
    try:
        specs = _CatalogueFile.model_validate(data).tasks
    except ValidationError as exc:
        raise min((_explain(root, error) for error in exc.errors()), key=_where) from None
    _no_twins(tasks, specs)
    return specs


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


def _where(error: CatalogueFileError) -> int:
    return error.line or 0


def _check_nodes(root: Node) -> None:
    """No anchors or aliases (one node reached twice), no key twice in a mapping."""
    seen: set[int] = set()
    todo = [root]
    while todo:
        node = todo.pop()
        if id(node) in seen:
            raise CatalogueFileError("alias", line=_line(node))
        seen.add(id(node))
        if isinstance(node, MappingNode):
            keys: set[str] = set()
            for key, value in node.value:
                if isinstance(key, ScalarNode):
                    if key.value in keys:
                        raise CatalogueFileError("twice", line=_line(key), field=key.value)
                    keys.add(key.value)
                todo.extend((key, value))
        elif isinstance(node, SequenceNode):
            todo.extend(node.value)


def _tasks_node(root: Node) -> SequenceNode:
    if not isinstance(root, MappingNode):
        raise CatalogueFileError("top", line=_line(root))
    for key, value in root.value:
        if isinstance(key, ScalarNode) and key.value == "tasks":
            if not isinstance(value, SequenceNode):
                raise CatalogueFileError("list", line=_line(key), field="tasks")
            return value
    raise CatalogueFileError("top", line=_line(root))


def _locate(root: Node, loc: list[int | str]) -> int:
    """The line of the deepest node ``loc`` reaches (a key's own line, for a mapping)."""
    node, line = root, _line(root)
    for part in loc:
        if isinstance(node, MappingNode):
            found = next(
                (
                    (key, value)
                    for key, value in node.value
                    if isinstance(key, ScalarNode) and key.value == str(part)
                ),
                None,
            )
            if found is None:
                break
            key, node = found
            line = _line(key)
        elif isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = _line(node)
        else:
            break
    return line


def _explain(root: Node, error: ErrorDetails) -> CatalogueFileError:
    """A pydantic error as one reason, found back to its line through the YAML nodes."""
    loc = [part for part in error["loc"] if not (isinstance(part, str) and part.startswith(_TAG))]
    names = [part for part in loc if isinstance(part, str)]
    field = names[-1] if names else "tasks"
    reason, values = _reason(error, field)
    return CatalogueFileError(reason, line=_locate(root, loc), field=field, **values)


def _reason(error: ErrorDetails, field: str) -> tuple[str, dict[str, object]]:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    simple = {
        "missing": "missing",
        "extra_forbidden": "unknown",
        "string_type": "text",
        "int_type": "whole_number",
        "float_type": "number",
        "bool_type": "yes_no",
        "list_type": "list",
        "model_type": "mapping",
        "dict_type": "mapping",
        "model_attributes_type": "mapping",
        "string_too_short": "blank",
        "strain": "strain",
        "url": "url",
        "attachment": "attachment",
    }
    if kind in simple:
        return simple[kind], {}
    if kind == "string_too_long":
        return "too_long", {"limit": ctx.get("max_length", "?")}
    if kind == "too_long":
        return "too_many", {"limit": ctx.get("max_length", "?")}
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        low, high = RANGES.get(field, ("?", "?"))
        return "range", {"low": low, "high": high}
    return "invalid", {}


def _no_twins(tasks: SequenceNode, specs: list[TemplateSpec]) -> None:
    """Two tasks of the file with the same title (any case) are a mistake."""
    first_line: dict[str, int] = {}
    for node, spec in zip(tasks.value, specs, strict=True):
        key = spec.title.casefold()
        if key in first_line:
            raise CatalogueFileError(
                "same_title", line=_locate(node, ["title"]), field="title", other=first_line[key]
            )
        first_line[key] = _line(node)


# --- importing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int

    def text(self, t: Texts) -> str:
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


def _steps(spec: TemplateSpec) -> list[TemplateStep]:
    return [TemplateStep(position=n, text=text) for n, text in enumerate(spec.steps, 1)]


def _attachments(spec: TemplateSpec) -> list[Attachment]:
    rows = [_attachment_row(n, a) for n, a in enumerate(spec.attachments, 1)]
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


def _fill(template: TaskTemplate, spec: TemplateSpec) -> None:
    template.title = spec.title
    template.instructions = spec.instructions
    template.goal = spec.goal
    template.strain = spec.strain
    template.expected_minutes = spec.minutes
    template.heads_up_minutes = spec.heads_up_minutes
    template.with_support = spec.with_support
    template.support_part = spec.support_part


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


# --- exporting ---------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Text over several lines as a ``|`` block, the way a person would write it."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style: Literal["|"] | None = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)

HEADER = "# Vardag task catalogue: `vardag import FILE` reads it back. See docs/catalogue.md.\n"


def _exported(template: TaskTemplate) -> dict[str, object]:
    task: dict[str, object] = {"title": template.title}
    if template.instructions:
        task["instructions"] = template.instructions
    if template.goal:
        task["goal"] = template.goal
    if template.steps:
        task["steps"] = [s.text for s in template.steps]
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
