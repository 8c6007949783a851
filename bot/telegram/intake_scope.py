"""The update being processed, as the doors see it: who sent it, whether this instance
still holds it in the inbox, and how it ended (bot/runtime/intake.py sets it;
handlers/dedupe.py and handlers/errors.py read it)."""

from __future__ import annotations

import time
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update

from bot.telegram.chat_state import ChatState
from storage.models import Person
from storage.repos import inbox as inbox_repo

# An update is taken for a short while at first, renewed to the whole lease once its
# processing has run for a third of that: an instance that dies before it gets far (right
# after acknowledging the update, as the update is taken when it is stored) holds the
# chat for seconds, not for the lease. Nearly every update is done long before.
FIRST_LEASE = timedelta(seconds=10)


def first_lease(lease: timedelta) -> timedelta:
    """How long an update is held when it is taken (see :data:`FIRST_LEASE`)."""
    return min(lease, FIRST_LEASE)


@dataclass(frozen=True)
class Asking:
    """The sender of an update as looked up when it was taken (None: no such person)."""

    person: Person | None


@dataclass(frozen=True)
class Taken:
    """An update this instance holds, with what its doors need first."""

    claimed: inbox_repo.Claimed
    update: Update
    state: ChatState | None
    asking: Asking | None
    at: float


@dataclass
class Scope:
    """The update being processed, as the doors see it (handlers/dedupe.py, errors.py)."""

    update_id: int
    token: str
    failed: bool = False  # stopped before any door acted: give it back, to be tried again
    errors: int = 0  # a door failed: the person was told; the update is done
    taken_at: float = 0.0  # monotonic: when this instance took it (leased it)
    asking: Asking | None = None  # the sender, looked up in the transaction that took it

    def taken_just_now(self, lease: timedelta) -> bool:
        """Taken well within its first lease, so still this instance's: the
        repeated-update check (handlers/dedupe.py) need not ask the database again."""
        return time.monotonic() - self.taken_at < first_lease(lease).total_seconds() / 3


SCOPE: ContextVar[Scope | None] = ContextVar("vardag_intake_scope", default=None)


def lane_of(update: Update) -> int:
    """The chat, or without one the sender; updates with neither share lane 0."""
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user is not None else 0


async def still_held(session: AsyncSession, update_id: int, token: str) -> bool:
    """Whether the instance holding ``token`` holds the update still (its lease)."""
    return await inbox_repo.is_held_by(session, update_id, token)
