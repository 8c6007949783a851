"""A promise the system made to a person: a row with a due time and an owner.

See ``bot/services/promises.py`` for what is promised and ``docs/safety-net.md``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, UTCDateTime


class Promise(Base):
    """Open while ``closed_at`` is None. It is closed either as kept (``kept_at``) or
    with ``outcome``: what the promise's handler did when it fell due unkept (whom it
    told). ``subject`` is unique, so making the same promise twice makes one row."""

    __tablename__ = "promises"
    __table_args__ = (Index("ix_promises_open", "closed_at", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(160), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    made_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(SmallInteger, default=0)
    kept_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(60))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
