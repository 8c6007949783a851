"""The closed vocabularies of the domain."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    COWORKER = "coworker"
    SUPPORT = "support"
    ADMIN = "admin"


class PlanStatus(enum.StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    SENT = "sent"


class TaskStatus(enum.StrEnum):
    OPEN = "open"
    STARTED = "started"
    DONE = "done"
    HELP = "help"
    NOT_TODAY = "not_today"
    CARRIED_OVER = "carried_over"


class AttachmentKind(enum.StrEnum):
    PHOTO = "photo"
    LOCATION = "location"
    DOCUMENT = "document"
    LINK = "link"


class CheckInKind(enum.StrEnum):
    MORNING = "morning"
    EVENING = "evening"
    NOTE = "note"


class Direction(enum.StrEnum):
    FROM_COWORKER = "from_coworker"
    TO_COWORKER = "to_coworker"


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    DEAD = "dead"
    DROPPED = "dropped"
