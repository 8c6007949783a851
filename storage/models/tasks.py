"""The task catalogue (Steg för Steg): templates, their steps and attachments, recurrences."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.base import Base, UTCDateTime, str_enum
from storage.models.enums import AttachmentKind


class TaskTemplate(Base):
    __tablename__ = "task_templates"
    __table_args__ = (
        CheckConstraint("strain BETWEEN 1 AND 3", name="strain_range"),
        CheckConstraint("expected_minutes > 0", name="positive_minutes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    instructions: Mapped[str] = mapped_column(Text, default="")
    goal: Mapped[str] = mapped_column(Text, default="")
    strain: Mapped[int] = mapped_column(SmallInteger, default=1)
    expected_minutes: Mapped[int] = mapped_column(Integer, default=30)
    with_support: Mapped[bool] = mapped_column(Boolean, default=False)
    # Minutes before a timed task's time for a heads-up reminder; None: no heads-up.
    heads_up_minutes: Mapped[int | None] = mapped_column(SmallInteger)
    support_part: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    steps: Mapped[list[TemplateStep]] = relationship(
        order_by="TemplateStep.position", cascade="all, delete-orphan", lazy="selectin"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        order_by="Attachment.position", cascade="all, delete-orphan", lazy="selectin"
    )


class TemplateStep(Base):
    __tablename__ = "template_steps"
    __table_args__ = (UniqueConstraint("template_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(
        ForeignKey("task_templates.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(SmallInteger)
    text: Mapped[str] = mapped_column(Text)
    # The step's own picture (Telegram's file id), shown with the step: for people who
    # follow picture instructions one picture per step says more than one per task.
    photo_file_id: Mapped[str | None] = mapped_column(String(255))


class Attachment(Base):
    """A photo, map location, document or web link that goes with a task."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(
        ForeignKey("task_templates.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(SmallInteger, default=0)
    kind: Mapped[AttachmentKind] = mapped_column(str_enum(AttachmentKind, "attachment_kind"))
    telegram_file_id: Mapped[str | None] = mapped_column(String(255))
    url: Mapped[str | None] = mapped_column(String(2048))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    caption: Mapped[str | None] = mapped_column(String(1024))


class Recurrence(Base):
    """A template planned for a co-worker: an RFC 5545 RRULE and an optional time of day."""

    __tablename__ = "recurrences"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(
        ForeignKey("task_templates.id", ondelete="CASCADE"), index=True
    )
    coworker_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    rrule: Mapped[str] = mapped_column(String(500))
    starts_on: Mapped[date] = mapped_column(Date)
    time_of_day: Mapped[time | None] = mapped_column(Time)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # A pause (a holiday, a time of illness): the task is not planned from the first to the
    # last date, both included.
    paused_from: Mapped[date | None] = mapped_column(Date)
    paused_until: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
