"""Every table of Vardag. Import from here; Alembic reads ``Base.metadata``."""

from storage.base import Base
from storage.models.comms import (
    AuditEntry,
    Invite,
    JoinAttempt,
    LeaderTerm,
    Message,
    OutboxMessage,
)
from storage.models.day_list import DayList, ListedTask
from storage.models.days import CheckIn, DayPlan, PlannedTask, Reminder
from storage.models.enums import (
    AttachmentKind,
    CheckInKind,
    Direction,
    OutboxStatus,
    PlanStatus,
    ReminderKind,
    ReminderStatus,
    Role,
    TaskStatus,
)
from storage.models.help import HelpRequest
from storage.models.intake import ConversationState, InboxUpdate
from storage.models.people import (
    Absence,
    ContactPersons,
    DutyShift,
    Group,
    GroupStaff,
    Person,
)
from storage.models.promises import Promise
from storage.models.tasks import Attachment, Recurrence, TaskTemplate, TemplateStep

__all__ = [
    "Absence",
    "Attachment",
    "AttachmentKind",
    "AuditEntry",
    "Base",
    "CheckIn",
    "CheckInKind",
    "ContactPersons",
    "ConversationState",
    "DayList",
    "DayPlan",
    "Direction",
    "DutyShift",
    "Group",
    "GroupStaff",
    "HelpRequest",
    "InboxUpdate",
    "Invite",
    "JoinAttempt",
    "LeaderTerm",
    "ListedTask",
    "Message",
    "OutboxMessage",
    "OutboxStatus",
    "Person",
    "PlanStatus",
    "PlannedTask",
    "Promise",
    "Recurrence",
    "Reminder",
    "ReminderKind",
    "ReminderStatus",
    "Role",
    "TaskStatus",
    "TaskTemplate",
    "TemplateStep",
]
