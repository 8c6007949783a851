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


class ReminderKind(enum.StrEnum):
    HEADS_UP = "heads_up"  # a while before the task's time, if its template asks for it
    DUE = "due"  # at the task's time
    SNOOZE = "snooze"  # when a "Later" the co-worker chose runs out


class ReminderStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for its time (or for its next repeat)
    SENT = "sent"  # sent, and not repeated any more
    ANSWERED = "answered"  # the task was done, or put off, or help asked: no more
    MISSED = "missed"  # its time passed while it could not be sent usefully
    SKIPPED = "skipped"  # quiet hours or the daily cap kept it back


class Direction(enum.StrEnum):
    FROM_COWORKER = "from_coworker"
    TO_COWORKER = "to_coworker"


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    DEAD = "dead"
    DROPPED = "dropped"
