"""A call for help ("I need help", or a red morning check-in) and its escalation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, UTCDateTime


class HelpRequest(Base):
    """Open until a member of staff acknowledges it ("I'm on it"). Until then, every
    ``escalation_minutes`` the next person in the chain is told (``notified_ids``, in
    order). When nobody is left (``exhausted_at``): after a call for help the co-worker is
    told whom to call; a red check-in ends with the group's responsible admin."""

    __tablename__ = "help_requests"
    __table_args__ = (Index("ix_help_requests_open", "acknowledged_at", "next_step_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    coworker_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    planned_task_id: Mapped[int | None] = mapped_column(
        ForeignKey("planned_tasks.id", ondelete="SET NULL")
    )
    reason: Mapped[str] = mapped_column(String(16))  # "help" or "red_check_in"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    notified_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    steps: Mapped[int] = mapped_column(SmallInteger, default=0)
    next_step_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL")
    )
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    exhausted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # How an untaken chain ended: "coworker_told" (a call for help: whom to call),
    # "admin_told" (a red check-in: the responsible admin), "nobody" (no one could be told).
    ended_with: Mapped[str | None] = mapped_column(String(16))
