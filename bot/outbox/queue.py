"""Putting a message in the outbox: the one call every service makes (:func:`queue`).

A message goes to a person's chat (or to the chat an earlier row names, for an edit or
a reply there). It carries a :class:`~bot.telegram.rendered.Rendered` (text and
buttons) or a payload the sender knows otherwise (a copy of a person's message:
:func:`bot.outbox.delivery.copy_payload`), under an idempotency key: queued twice, it
is sent once. ``not_before``: the moment it may go (someone not on duty yet gets it
when they come on duty); ``useful_until``: after that it is dropped, unless it carries
a person's own words (``storage.repos.outbox.NEVER_DROPPED``). The sender
(bot/outbox/sender.py) takes it from there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.rules.clock import Clock
from bot.telegram.rendered import Rendered
from storage.models import Person
from storage.repos import outbox as outbox_repo

Content = Rendered | dict[str, Any]  # a view's message, or a payload (a copy, a bare line)
Queued = outbox_repo.NewMessage


@dataclass(frozen=True)
class Chat:
    """Where a message goes when it is not simply a person's own chat."""

    chat_id: int
    person_id: int | None


def message(
    to: Person | Chat,
    content: Content,
    *,
    key: str,
    kind: str,
    useful_until: datetime | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Queued:
    """The outbox row :func:`queue` adds (or :func:`queue_all`, many at once).
    ``extra``: payload parts for the sender or a hook (``reply_to``, ``edit``, an id)."""
    chat = _chat(to)
    payload = content.payload() if isinstance(content, Rendered) else content
    if extra:
        payload = payload | dict(extra)
    return Queued(key, chat.chat_id, chat.person_id, kind, payload, useful_until)


async def queue(
    services: Clock,
    session: AsyncSession,
    to: Person | Chat,
    content: Content,
    *,
    key: str,
    kind: str,
    not_before: datetime | None = None,
    useful_until: datetime | None = None,
    extra: Mapping[str, Any] | None = None,
) -> bool:
    """Queue ``content`` for ``to`` unless a message with ``key`` is queued already; True
    if it was added. ``services``: the services (anything that tells the time)."""
    queued = message(to, content, key=key, kind=kind, useful_until=useful_until, extra=extra)
    return await outbox_repo.enqueue(
        session,
        key=queued.key,
        chat_id=queued.chat_id,
        person_id=queued.person_id,
        kind=queued.kind,
        payload=queued.payload,
        now=services.now() if not_before is None else not_before,
        useful_until=queued.useful_until,
    )


async def queue_all(session: AsyncSession, messages: Sequence[Queued], now: datetime) -> set[str]:
    """Queue each of ``messages`` (made by :func:`message`) unless its key is queued
    already, in the order given, in one statement whatever their number. The keys of
    those queued now."""
    return await outbox_repo.enqueue_many(session, messages, now)


def _chat(to: Person | Chat) -> Chat:
    if isinstance(to, Chat):
        return to
    if to.telegram_user_id is None:
        raise ValueError(f"person {to.id} has no chat to write to")
    return Chat(to.telegram_user_id, to.id)
