"""The task catalogue's YAML format: what one task of the file may hold, checked by pydantic.

The format (see ``docs/catalogue.md``)::

    tasks:
      - title: Duka borden            # required, at most 120 characters
        instructions: Lägg på dukar.  # what to do
        goal: Gästerna ska trivas.    # why we do it
        steps:                        # a step is its text, or text and a picture
          - Hämta dukarna.
          - {text: Lägg en duk på varje bord., photo: FILE_ID}
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

Reading a file into these models, with errors that name the line, is
``catalogue_parse``; storing them is ``catalogue_import``; writing them back is
``catalogue_export``.
"""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
)
from pydantic_core import PydanticCustomError

from bot.services.catalogue.templates import (
    MAX_ATTACHMENTS,
    MAX_STEPS,
    STEP_LENGTH,
    TEXT_LENGTH,
    TITLE_LENGTH,
)
from storage.models import AttachmentKind

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
KIND_TAG = "kind:"  # marks the attachment kind in pydantic's error locations
# Telegram's file ids are URL-safe base64: letters, digits, "-" and "_", dozens long.
FILE_ID_SHAPE = re.compile(r"^[A-Za-z0-9_-]{20,255}$")

_STRICT = ConfigDict(strict=True, extra="forbid", str_strip_whitespace=True, frozen=True)
Caption = Annotated[str | None, Field(default=None, max_length=CAPTION_LENGTH)]
FileId = Annotated[str, Field(min_length=1, max_length=FILE_ID_LENGTH)]


# --- attachments -------------------------------------------------------------------------


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
            return KIND_TAG + present[0]
    elif isinstance(value, PhotoSpec | DocumentSpec | LinkSpec | LocationSpec):
        return KIND_TAG + _kind_of(value).value
    return None


AttachmentSpec = Annotated[
    Annotated[PhotoSpec, Tag(KIND_TAG + "photo")]
    | Annotated[DocumentSpec, Tag(KIND_TAG + "document")]
    | Annotated[LinkSpec, Tag(KIND_TAG + "link")]
    | Annotated[LocationSpec, Tag(KIND_TAG + "location")],
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


def attachment_row(
    position: int, spec: PhotoSpec | DocumentSpec | LinkSpec | LocationSpec
) -> tuple[object, ...]:
    """The attachment as the columns of its row: position, kind, file id, url, latitude,
    longitude, caption."""
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


# --- steps -------------------------------------------------------------------------------

StepText = Annotated[str, Field(min_length=1, max_length=STEP_LENGTH)]


class StepSpec(BaseModel):
    """A step with its own picture: ``{text: …, photo: FILE_ID}``."""

    model_config = _STRICT
    text: StepText
    photo: FileId | None = None

    @field_validator("photo")
    @classmethod
    def _file_id(cls, value: str | None) -> str | None:
        if value is not None and not FILE_ID_SHAPE.match(value):
            raise PydanticCustomError("file_id", "not a Telegram file id")
        return value


def step_row(spec: str | StepSpec) -> tuple[str, str | None]:
    """A step as the columns of its row: text, picture's file id."""
    return (spec, None) if isinstance(spec, str) else (spec.text, spec.photo)


def _step_kind(value: Any) -> str:
    """A mapping is a step with a picture; anything else should be the step's text."""
    return KIND_TAG + ("picture" if isinstance(value, dict | StepSpec) else "text")


Step = Annotated[
    Annotated[StepText, Tag(KIND_TAG + "text")] | Annotated[StepSpec, Tag(KIND_TAG + "picture")],
    Discriminator(_step_kind),
]


# --- tasks -------------------------------------------------------------------------------


class TemplateSpec(BaseModel):
    """One task of the file, checked; what :func:`import_catalogue` stores."""

    model_config = _STRICT

    title: Annotated[str, Field(min_length=1, max_length=TITLE_LENGTH)]
    instructions: Annotated[str, Field(max_length=TEXT_LENGTH)] = ""
    goal: Annotated[str, Field(max_length=TEXT_LENGTH)] = ""
    steps: Annotated[list[Step], Field(max_length=MAX_STEPS)] = []
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
            tuple(step_row(step) for step in self.steps),
            tuple(attachment_row(n, a) for n, a in enumerate(self.attachments, 1)),
        )


class CatalogueSpec(BaseModel):
    """The whole file: a list of tasks under ``tasks``."""

    model_config = _STRICT
    tasks: list[TemplateSpec]
