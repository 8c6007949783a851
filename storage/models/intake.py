"""What comes in from Telegram, kept in the database so that any instance can take it:
each update before it is acknowledged (the inbox), and each person's conversation state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, UTCDateTime


class InboxUpdate(Base):
    """An update from Telegram, stored before it is acknowledged and processed from here.

    ``lane`` is the chat (or, without a chat, the sender): a lane's updates are processed
    one at a time, in ``update_id`` order. A row is taken by one instance at a time for a
    lease (``lease_token``, ``lease_until``); ``processed_at`` marks it done. Done rows are
    purged after a day (Telegram does not deliver an update again after that)."""

    __tablename__ = "inbox_updates"
    __table_args__ = (Index("ix_inbox_updates_open", "processed_at", "lane"),)

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    lane: Mapped[int] = mapped_column(BigInteger)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_token: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(16))


class ConversationState(Base):
    """A person's conversation state in one chat: the step each staff conversation is at
    and what the person's ``user_data`` holds (a draft, a question being asked), so that
    the next step can reach any instance. Stored pickled: drafts hold enums, dates and
    small dataclasses; only Vardag itself writes this column."""

    __tablename__ = "conversation_states"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    state: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
