"""People, groups, contact persons and the duty rota (the Umeå contact-person model)."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Time,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, UTCDateTime, str_enum
from storage.models.enums import Role


class Group(Base):
    """A fixed group of co-workers (a "route") and its staff."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    send_unapproved_drafts: Mapped[bool] = mapped_column(Boolean, default=True)
    # The admin who hears, last, of a red check-in nobody on duty took (None: the admins).
    responsible_admin_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL", use_alter=True)
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Person(Base):
    __tablename__ = "persons"
    __table_args__ = (
        CheckConstraint("capacity BETWEEN 1 AND 30", name="capacity_range"),
        CheckConstraint("language IN ('sv', 'en')", name="language_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"))
    language: Mapped[str] = mapped_column(String(2), default="sv")
    morning_time: Mapped[time] = mapped_column(Time, default=time(8, 0))
    quiet_start: Mapped[time] = mapped_column(Time, default=time(20, 0))
    quiet_end: Mapped[time] = mapped_column(Time, default=time(7, 0))
    capacity: Mapped[int] = mapped_column(Integer, default=6)
    # Stamina per weekday (Monday first, None: the usual ``capacity``), e.g. lighter on
    # Mondays; None when no weekday has its own.
    weekday_capacity: Mapped[list[int | None] | None] = mapped_column(JSON)
    # Opt-in: a short "Imorgon: …" in the evening (off by default; predictability for some,
    # one more message for others).
    evening_preview: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("groups.id", ondelete="SET NULL"), index=True
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    unreachable: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    def capacity_on(self, day: date) -> int:
        """The stamina of ``day``: its weekday's own if set, else the usual one."""
        own = (self.weekday_capacity or [])[day.weekday() : day.weekday() + 1]
        return own[0] if own and own[0] is not None else self.capacity


class GroupStaff(Base):
    """A support person working in a group."""

    __tablename__ = "group_staff"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True
    )


class ContactPersons(Base):
    """Each co-worker's two contact persons: primary first, secondary when the primary is off."""

    __tablename__ = "contact_persons"
    __table_args__ = (CheckConstraint("primary_id <> secondary_id", name="two_people"),)

    coworker_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True
    )
    primary_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="RESTRICT"))
    secondary_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="RESTRICT"))


class DutyShift(Base):
    """One weekly block of duty: weekday (0 = Monday) and local wall-clock hours."""

    __tablename__ = "duty_shifts"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("start_time < end_time", name="start_before_end"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(SmallInteger)
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)


class Absence(Base):
    """Time a support person is away (sick, holiday); they are off duty throughout."""

    __tablename__ = "absences"
    __table_args__ = (CheckConstraint("starts_at < ends_at", name="start_before_end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str | None] = mapped_column(String(40))
