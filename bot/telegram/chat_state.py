"""A person's conversation state in a chat, kept in the database (``conversation_states``)
so that any instance can take the next step.

While an update is processed (bot/runtime/intake.py) its state is :data:`CURRENT`: the person's
``user_data`` (what :class:`StatefulContext` gives handlers) and the step each staff
conversation is at (what ``handlers.conversation`` reads and writes). Both are read in
the transaction that claims the update and written back in the one that marks it done.
"""

from __future__ import annotations

import logging
import pickle
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, NoReturn

from telegram import Update
from telegram.ext import CallbackContext, ExtBot

log = logging.getLogger(__name__)

# A conversation left this long after its last step has ended (and its draft is gone);
# what else the person's user_data holds (a question asked in /settings) stays, until
# housekeeping forgets a state nobody touched for a day.
CONVERSATION_TIMEOUT = timedelta(minutes=10)
DRAFT = "draft"  # what a conversation has gathered so far, in the person's user_data


@dataclass
class ChatState:
    chat_id: int
    user_id: int
    user_data: dict[Any, Any] = field(default_factory=dict)
    conversations: dict[str, object] = field(default_factory=dict)
    loaded: bytes | None = None

    def dump(self) -> bytes | None:
        """The state to store, or None when nothing is going on."""
        if not self.user_data and not self.conversations:
            return None
        data = {"user_data": self.user_data, "conversations": self.conversations}
        return pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)

    def to_store(self) -> tuple[bool, bytes | None]:
        """Whether to write, and what: a change, or a conversation's step (which keeps it
        from timing out, as each step of a conversation does)."""
        dumped = self.dump()
        return dumped != self.loaded or bool(self.conversations), dumped


CURRENT: ContextVar[ChatState | None] = ContextVar("vardag_chat_state", default=None)


def key_of(update: Update) -> tuple[int, int] | None:
    """(chat, user) as python-telegram-bot's conversations key them; None without both."""
    chat, user = update.effective_chat, update.effective_user
    return None if chat is None or user is None else (chat.id, user.id)


def restore(
    chat_id: int, user_id: int, stored: tuple[bytes, datetime] | None, now: datetime
) -> ChatState:
    """The state as stored, with a conversation past its time-out ended."""
    state = ChatState(chat_id, user_id)
    if stored is None:
        return state
    blob, updated_at = stored
    try:
        data = pickle.loads(blob)
        state.user_data = dict(data["user_data"])
        state.conversations = dict(data["conversations"])
    except Exception as exc:  # a draft from an older version: start afresh
        log.warning("could not read a conversation state (%s); starting afresh", type(exc).__name__)
        return state
    state.loaded = blob
    if now - updated_at > CONVERSATION_TIMEOUT:
        state.conversations.clear()
        state.user_data.pop(DRAFT, None)
    return state


class StatefulContext(
    CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]
):
    """The handlers' context: ``user_data`` is the person's stored state while their
    update is processed (python-telegram-bot's own, in memory, otherwise)."""

    @property
    def user_data(self) -> dict[Any, Any] | None:
        state = CURRENT.get()
        if state is not None and self._user_id == state.user_id:
            return state.user_data
        return super().user_data

    @user_data.setter
    def user_data(self, _: object) -> NoReturn:
        raise AttributeError("user_data cannot be replaced, only changed")
