"""A co-worker's day: the plan, the tasks on it, and the check-ins."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.base import Base, UTCDateTime, str_enum
from storage.models.enums import (
    CheckInKind,
    PlanStatus,
    ReminderKind,
    ReminderStatus,
    TaskStatus,
)
from storage.models.tasks import TaskTemplate


class DayPlan(Base):
    """One co-worker's list for one date; ``deliver_at`` is their morning time in UTC."""

    __tablename__ = "day_plans"
    __table_args__ = (
        UniqueConstraint("coworker_id", "day"),
        Index("ix_day_plans_due", "status", "deliver_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    coworker_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    status: Mapped[PlanStatus] = mapped_column(str_enum(PlanStatus, "plan_status"))
    deliver_at: Mapped[datetime] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL")
    )
    # When it was approved: the day the approver counts in the continuity figure.
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    list_message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    tasks: Mapped[list[PlannedTask]] = relationship(
        order_by="PlannedTask.position",
        cascade="all, delete-orphan",
        lazy="selectin",
        back_populates="plan",
    )


class PlannedTask(Base):
    __tablename__ = "planned_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    day_plan_id: Mapped[int] = mapped_column(
        ForeignKey("day_plans.id", ondelete="CASCADE"), index=True
    )
    template_id: Mapped[int] = mapped_column(
        ForeignKey("task_templates.id", ondelete="RESTRICT"), index=True
    )
    position: Mapped[int] = mapped_column(SmallInteger)
    time_of_day: Mapped[time | None] = mapped_column(Time)
    status: Mapped[TaskStatus] = mapped_column(str_enum(TaskStatus, "task_status"))
    steps_done: Mapped[list[int]] = mapped_column(JSON, default=list)
    first_time: Mapped[bool] = mapped_column(Boolean, default=False)
    with_support: Mapped[bool] = mapped_column(Boolean, default=False)
    carried_from: Mapped[date | None] = mapped_column(Date)
    # The day of the last list the co-worker was sent with this task on it, for a task
    # carried over from it ("från igår"); None: they have not seen it on a list.
    seen_on: Mapped[date | None] = mapped_column(Date)
    # Set by drafting (bot/services/planning/drafting.py): the recurrence this task came from,
    # and, for a task that did not fit its day, the day it was moved away from and why
    # (a code such as "capacity"; the support person sees it in words).
    recurrence_id: Mapped[int | None] = mapped_column(
        ForeignKey("recurrences.id", ondelete="SET NULL")
    )
    deferred_from: Mapped[date | None] = mapped_column(Date)
    deferred_reason: Mapped[str | None] = mapped_column(String(40))
    not_today_reason: Mapped[str | None] = mapped_column(String(40))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    # When it was added by hand (not the day of its list): the continuity figure's day.
    added_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    card_message_id: Mapped[int | None] = mapped_column(BigInteger)

    plan: Mapped[DayPlan] = relationship(back_populates="tasks")
    template: Mapped[TaskTemplate] = relationship(lazy="selectin")


class CheckIn(Base):
    __tablename__ = "check_ins"
    __table_args__ = (UniqueConstraint("person_id", "day", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[CheckInKind] = mapped_column(str_enum(CheckInKind, "check_in_kind"))
    value: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Reminder(Base):
    """A reminder of a timed task: one row per task and kind, due at ``due_at`` (UTC).

    The reminder job picks up due rows; an unanswered one is repeated, ``repeats``
    counting the sends, up to the configured number. A snooze moves the SNOOZE row.
    """

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("planned_task_id", "kind"),
        Index("ix_reminders_due", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    planned_task_id: Mapped[int] = mapped_column(ForeignKey("planned_tasks.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    kind: Mapped[ReminderKind] = mapped_column(str_enum(ReminderKind, "reminder_kind"))
    status: Mapped[ReminderStatus] = mapped_column(str_enum(ReminderStatus, "reminder_status"))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    repeats: Mapped[int] = mapped_column(SmallInteger, default=0)
    last_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
