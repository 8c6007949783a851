"""A co-worker edits a message they sent: the change reaches the member of staff who got
the message, marked as a change and as a reply to the copy they have, never as a new
message with a new receipt. A copy still waiting in the outbox carries the change itself
(it is copied when it is sent)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.i18n import Texts
from bot.outbox.queue import Chat, queue
from bot.services.messages import relay
from bot.views import relay as views
from storage.models import Group, Message, OutboxStatus, Person
from storage.repos import messages as messages_repo

EDIT = "relay_edit"


class Outcome(enum.Enum):
    SENT = "sent"  # the change is on its way to ``staff``
    WAITING = "waiting"  # the message itself has not gone out yet: it goes with the change
    UNKNOWN = "unknown"  # not a message that was relayed (a command, an answer, …)


@dataclass(frozen=True)
class EditResult:
    outcome: Outcome
    staff: Person | None = None


async def edited(
    services: Services,
    session: AsyncSession,
    coworker: Person,
    *,
    body: str,
    chat_id: int,
    message_id: int,
    edited_at: int,
) -> EditResult:
    """Keep the new text and tell the member of staff who has the message."""
    kept = await messages_repo.from_source(session, coworker.id, chat_id, message_id)
    if kept is None:
        return EditResult(Outcome.UNKNOWN)
    kept.body = body
    staff = None if kept.staff_id is None else await session.get(Person, kept.staff_id)
    if staff is None or kept.relayed_chat_id is None or kept.relayed_message_id is None:
        if staff is not None:
            await _rewrite_waiting(session, coworker, kept, staff)
        return EditResult(Outcome.WAITING, staff)  # copied later, as it is then
    note = views.edited(Texts(staff.language), coworker, body)
    await queue(
        services,
        session,
        Chat(kept.relayed_chat_id, staff.id),
        note,
        key=messages_repo.relay_key(kept.id, f"edit:{edited_at}"),
        kind=EDIT,
        extra={"reply_to": kept.relayed_message_id},
    )
    return EditResult(Outcome.SENT, staff)


async def _rewrite_waiting(
    session: AsyncSession, coworker: Person, kept: Message, staff: Person
) -> None:
    """The header and the co-worker's words travel in one waiting text (or caption):
    put the new words in it, so what goes out is the message as it is now."""
    group = await session.get(Group, coworker.group_id) if coworker.group_id else None
    parts = relay.for_staff(Texts(staff.language), coworker, group, None, kept)
    if len(parts) != 1:
        return  # header and a plain copy: the copy is taken as it is when it is sent
    fresh = parts[0][2]
    for row in await messages_repo.relay_rows(session, kept.id):
        if row.status is OutboxStatus.PENDING and row.kind == relay.COPY:
            reply_to = row.payload.get("reply_to")
            row.payload = fresh | ({"reply_to": reply_to} if reply_to is not None else {})
