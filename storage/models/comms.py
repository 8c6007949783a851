"""What goes between people and the bot: messages, the outbox, invites, the audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, UTCDateTime, str_enum
from storage.models.enums import Direction, OutboxStatus, Role


class Message(Base):
    """A message between a co-worker and staff, with the ids needed to thread replies."""

    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_relayed", "relayed_chat_id", "relayed_message_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    coworker_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    direction: Mapped[Direction] = mapped_column(str_enum(Direction, "direction"))
    kind: Mapped[str] = mapped_column(String(16))
    body: Mapped[str | None] = mapped_column(Text)
    source_chat_id: Mapped[int] = mapped_column(BigInteger)
    source_message_id: Mapped[int] = mapped_column(BigInteger)
    relayed_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    relayed_message_id: Mapped[int | None] = mapped_column(BigInteger)
    reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    relayed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # One copy of a ``/broadcast`` to a whole group: not contact with this co-worker in
    # the continuity figure (an answer or a ``/send`` is).
    broadcast: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class OutboxMessage(Base):
    """Something the clock wants sent, kept until Telegram has taken it (or it is given up)."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        # A chat's oldest pending row (storage/repos/outbox.due): its messages keep order.
        Index("ix_outbox_chat_order", "chat_id", "status", "id"),
        # People's own words and calls for help, sent before the broadcast.
        Index("ix_outbox_kind_due", "status", "kind", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    chat_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[OutboxStatus] = mapped_column(str_enum(OutboxStatus, "outbox_status"))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    useful_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The leader's term that last claimed this row for a send (bot/outbox/sender.py):
    # while claimed, ``next_attempt_at`` is the end of the claim's lease.
    claimed_term: Mapped[int | None] = mapped_column(BigInteger)


class Invite(Base):
    """A single-use join code; only its SHA-256 hash is stored."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[Role] = mapped_column(str_enum(Role, "invite_role"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class JoinAttempt(Base):
    """A ``/start <code>`` that did not work, kept to slow down guessing."""

    __tablename__ = "join_attempts"
    __table_args__ = (Index("ix_join_attempts_user_at", "telegram_user_id", "attempted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AuditEntry(Base):
    """Who saw or changed whose data, and when. Never holds message content."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL"), index=True
    )
    subject_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(60))
    detail: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class LeaderTerm(Base):
    """Which instance runs the clock and the sender (PostgreSQL; bot/runtime/leader.py): one row.
    ``term`` grows by one at every new leader; a send is claimed for a term, so a leader
    whose term has passed cannot send. ``heartbeat_at`` is refreshed while it leads."""

    __tablename__ = "leader_terms"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    term: Mapped[int] = mapped_column(BigInteger)
    holder: Mapped[str] = mapped_column(String(200))
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime)
