"""The relay: what a co-worker writes reaches a person who knows them, and the answer
comes back, labelled with who wrote it.

A co-worker's message (any kind) is kept, then goes through the outbox to whoever
should hear it (:mod:`bot.services.messages.recipients`) with a header: who, their group, what
they were doing. One message where Telegram allows it: a text with the header in it, or
a copy (``copyMessage``) of media whose caption carries the header; a sticker, a place
… gets the header as a line of its own before the copy. A Telegram reply is kept as a
reply on the other side (``reply_to``). When nobody is on duty, it waits in the outbox
for the moment someone is. A thread stays with the member of staff who
owns it (:mod:`bot.services.messages.owner`): who took the co-worker's call for help, for the
rest of that shift, or who answered last (for 12 hours) while on duty.

Staff answer by replying to the header or the copy; the answer is copied back to the
co-worker after a line that names the person who wrote it, as a reply to their message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.i18n import Texts
from bot.outbox.delivery import copy_payload
from bot.outbox.queue import queue
from bot.rules.hearer import Hearer
from bot.services.messages import inbox, owner
from bot.services.messages.recipients import who_hears
from bot.services.messages.staff_messages import Source, to_coworker
from bot.telegram.rendered import Rendered
from bot.views import relay as views
from storage.models import Group, Message, OutboxMessage, Person, TaskStatus
from storage.repos import messages as messages_repo
from storage.repos import plans as plan_repo

HEADER, COPY = "relay_header", "relay_copy"
# Kinds a copy can carry a caption on; the others (sticker, place, video note …) get the
# header as a message of its own just before the copy.
CAPTIONED = frozenset({"photo", "video", "document", "audio", "voice", "animation"})
MAX_TEXT, MAX_CAPTION = 4000, 1000  # Telegram: 4096 and 1024 characters; a margin kept


@dataclass(frozen=True)
class Relayed:
    message: Message
    hearer: Hearer
    group: Group | None


@dataclass(frozen=True)
class Answered:
    coworker: Person
    delivered: bool  # False: the co-worker cannot get messages now (left, or blocked the bot)


async def from_coworker(
    services: Services,
    session: AsyncSession,
    coworker: Person,
    *,
    kind: str,
    body: str | None,
    chat_id: int,
    message_id: int,
    replying_to: int | None = None,
) -> Relayed:
    """Keep and relay a co-worker's message; ``replying_to``: the message in their chat
    they answered with it (Telegram's reply), if any."""
    kept = await inbox.keep_from_coworker(
        services, session, coworker, kind=kind, body=body, chat_id=chat_id, message_id=message_id
    )
    now = services.now()
    hearer = await _thread_owner(services, session, coworker, now) or await who_hears(
        services, session, coworker, now
    )
    group = await session.get(Group, coworker.group_id) if coworker.group_id else None
    staff = hearer.person
    if staff is not None and staff.telegram_user_id is not None:
        kept.staff_id = staff.id
        doing = await _doing(services, session, coworker)
        parts = for_staff(Texts(staff.language), coworker, group, doing, kept)
        target = await _reply_target(session, coworker, staff.telegram_user_id, replying_to)
        if target is not None:  # the first of the parts answers what the co-worker answered
            parts[0] = (parts[0][0], parts[0][1], parts[0][2] | {"reply_to": target})
        for part, kind_of_row, payload in parts:
            await queue(
                services,
                session,
                staff,
                payload,
                key=messages_repo.relay_key(kept.id, part),
                kind=kind_of_row,
                not_before=hearer.at or now,  # waits in the outbox until they are on duty
            )
    return Relayed(kept, hearer, group)


def for_staff(
    t: Texts, coworker: Person, group: Group | None, doing: str | None, kept: Message
) -> list[tuple[str, str, dict[str, Any]]]:
    """The outbox parts (key part, row kind, payload) that show ``kept`` to staff: one
    message where Telegram allows it (a text with the header in it, or a copy of media
    whose caption carries the header), else the header and then the copy."""
    chat_id, message_id = kept.source_chat_id, kept.source_message_id
    whole = views.with_header(t, coworker, group, doing, kept.body)
    if kept.kind == "text" and kept.body and len(whole.striptags()) <= MAX_TEXT:
        return [("copy", COPY, Rendered(whole).payload())]
    if kept.kind in CAPTIONED and len(whole.striptags()) <= MAX_CAPTION:
        return [("copy", COPY, copy_payload(chat_id, message_id, caption=whole))]
    header = views.header(t, coworker, group, doing)
    return [
        ("header", HEADER, header.payload()),
        ("copy", COPY, copy_payload(chat_id, message_id)),
    ]


async def _reply_target(
    session: AsyncSession, coworker: Person, staff_chat: int, replying_to: int | None
) -> int | None:
    """What, in the staff member's chat, the co-worker's reply answers: the staff
    member's own message when the co-worker replied to its copy (an answer), or the copy
    staff have of the co-worker's own earlier message. None: nothing there to reply to."""
    if replying_to is None or coworker.telegram_user_id is None:
        return None
    answer = await messages_repo.answer_shown_as(session, coworker.telegram_user_id, replying_to)
    if answer is not None:
        if answer.source_chat_id == staff_chat:
            return answer.source_message_id
        earlier = await session.get(Message, answer.reply_to_id) if answer.reply_to_id else None
    else:
        earlier = await messages_repo.from_source(
            session, coworker.id, coworker.telegram_user_id, replying_to
        )
    if earlier is not None and earlier.relayed_chat_id == staff_chat:
        return earlier.relayed_message_id
    return None


async def _thread_owner(
    services: Services, session: AsyncSession, coworker: Person, now: datetime
) -> Hearer | None:
    """Who owns the conversation now (:mod:`bot.services.messages.owner`), if anyone."""
    staff = await owner.owner(services, session, coworker, now)
    return Hearer(staff, None, True) if staff is not None else None


async def _doing(services: Services, session: AsyncSession, coworker: Person) -> str | None:
    """The task the co-worker has started today, if any."""
    plan = await plan_repo.plan_for(session, coworker.id, services.today())
    started = [t for t in plan.tasks if t.status is TaskStatus.STARTED] if plan else []
    return started[0].template.title if started else None


async def answer(
    services: Services,
    session: AsyncSession,
    staff: Person,
    original: Message,
    source: Source,
) -> Answered:
    """Copy a staff member's reply back to the co-worker who wrote ``original``."""
    coworker = await session.get_one(Person, original.coworker_id)
    label = views.answer_label(Texts(coworker.language), staff)
    delivered = await to_coworker(
        services, session, staff, coworker, source, label=label, reply_to=original
    )
    return Answered(coworker, delivered)


async def remember_copy(
    session: AsyncSession, row: OutboxMessage, message_id: int, now: datetime
) -> None:
    """After a copy is sent: where it went, so replies to it find the thread."""
    original = await session.get(Message, int(row.idempotency_key.split(":")[1]))
    if original is not None:
        original.relayed_chat_id = row.chat_id
        original.relayed_message_id = message_id
        original.relayed_at = now
