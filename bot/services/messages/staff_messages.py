"""Staff write to co-workers: an answer (see :mod:`bot.services.messages.relay`), ``/send`` to one
co-worker, ``/broadcast`` to a group. Each is kept, then copied through the outbox after
a line naming who wrote it, so a co-worker never mistakes a person for the bot."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.i18n import Texts
from bot.outbox.queue import queue
from bot.services.access import Refused, ReviewError, coworker_for
from bot.services.privacy import audit

__all__ = ["Source", "broadcast", "coworker_for", "send_to", "to_coworker"]
from bot.outbox.delivery import copy_payload
from bot.telegram.rendered import Rendered
from bot.views import relay as views
from storage.models import Direction, Group, Message, Person
from storage.repos import organisation as org_repo
from storage.repos import people as people_repo

LABEL, COPY = "answer_label", "answer_copy"


@dataclass(frozen=True)
class Source:
    """The staff member's own message, to be copied."""

    kind: str
    body: str | None
    chat_id: int
    message_id: int


async def to_coworker(
    services: Services,
    session: AsyncSession,
    staff: Person,
    coworker: Person,
    source: Source,
    *,
    label: Rendered,
    reply_to: Message | None = None,
    broadcast: bool = False,
) -> bool:
    """Keep the message and queue the label and the copy; False if the co-worker cannot
    get messages now (left, blocked the bot, never joined): kept, not sent. A
    ``broadcast`` copy is kept marked as one: it is not contact in the continuity figure."""
    kept = Message(
        coworker_id=coworker.id,
        staff_id=staff.id,
        direction=Direction.TO_COWORKER,
        kind=source.kind,
        body=source.body,
        source_chat_id=source.chat_id,
        source_message_id=source.message_id,
        reply_to_id=reply_to.id if reply_to else None,
        created_at=services.now(),
        broadcast=broadcast,
    )
    session.add(kept)
    await session.flush()
    if coworker.telegram_user_id is None or not coworker.active or coworker.unreachable:
        return False
    copy = copy_payload(source.chat_id, source.message_id)
    if reply_to is not None and reply_to.source_chat_id == coworker.telegram_user_id:
        copy["reply_to"] = reply_to.source_message_id  # the co-worker's own message
    for part, kind, payload in (("label", LABEL, label.payload()), ("copy", COPY, copy)):
        await queue(services, session, coworker, payload, key=f"answer:{kept.id}:{part}", kind=kind)
    return True


async def send_to(
    services: Services, session: AsyncSession, staff: Person, coworker_id: int, source: Source
) -> tuple[Person, bool]:
    """``/send``: one co-worker the staff member may manage."""
    coworker = await coworker_for(session, staff, coworker_id)
    label = views.answer_label(Texts(coworker.language), staff)
    delivered = await to_coworker(services, session, staff, coworker, source, label=label)
    await audit.record(services, session, actor=staff, subject=coworker, action="message.send")
    return coworker, delivered


async def broadcast(
    services: Services, session: AsyncSession, staff: Person, group_id: int, source: Source
) -> tuple[Group, int]:
    """``/broadcast``: every active co-worker of one of the staff member's groups; how
    many it was sent to."""
    group = next(
        (g for g in await people_repo.groups_for(session, staff) if g.id == group_id), None
    )
    if group is None:
        raise ReviewError(Refused.NOT_YOURS)
    sent = 0
    for coworker in await org_repo.coworkers_of(session, group.id):
        if not coworker.active:
            continue
        label = views.broadcast_label(Texts(coworker.language), staff, group)
        sent += await to_coworker(
            services, session, staff, coworker, source, label=label, broadcast=True
        )
    await audit.record(
        services,
        session,
        actor=staff,
        subject=None,
        action="message.broadcast",
        detail=f"group {group.id}: {sent} co-workers",
    )
    return group, sent
