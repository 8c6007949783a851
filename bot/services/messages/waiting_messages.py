"""A co-worker's message waiting for someone never waits in vain.

The message row (``messages``, ``relayed_at`` empty) is the promise; its owner is the
member of staff it is queued for (``staff_id``) and its due time the outbox rows' next
attempt. The clock's step (:func:`look_after`) finds what can no longer be kept as
promised and does the next right thing:

* nobody could be told when it was written (no contact person, nobody on Telegram):
  as soon as someone can, it is queued for them and the co-worker is told who gets it;
  until then the group's responsible admin (or the admins) know a message is waiting
  (without its content);
* its copy was given up on (the staff member blocked the bot, Telegram refused it) or
  its person is away when it is due: it goes to whoever hears the co-worker now (or
  next), and the co-worker is told who gets it instead, and when.

After ``MAX_HANDOVERS`` it stops trying people and tells the admins. Outbox rows that
carry a person's own words never expire (``storage.repos.outbox.NEVER_DROPPED``).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from markupsafe import escape
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.i18n import Texts
from bot.outbox.queue import queue
from bot.rules.hearer import Hearer
from bot.services.messages import relay
from bot.services.messages.recipients import who_hears
from bot.telegram.rendered import Rendered
from bot.views.help import when_in_words
from storage.models import Group, Message, OutboxStatus, Person
from storage.repos import help_requests as help_repo
from storage.repos import messages as messages_repo
from storage.repos import rota as rota_repo

log = logging.getLogger(__name__)

HEADER, COPY, _EDIT = messages_repo.RELAY_KINDS
NOTE = "relay_note"
BATCH = 200
MAX_HANDOVERS = 3
LOOK_BACK = timedelta(days=14)
_warned: set[int] = set()


async def look_after(services: Services) -> int:
    """The clock's step over waiting messages; how many were handed on."""
    handed = 0
    async with services.sessions.begin() as session:
        since = services.now() - LOOK_BACK
        for message in await messages_repo.waiting(session, BATCH, since=since):
            handed += await _look_after_one(services, session, message)
    if handed:
        log.info("handed on %s waiting messages", handed)
    return handed


async def _look_after_one(services: Services, session: AsyncSession, message: Message) -> int:
    rows = await messages_repo.relay_rows(session, message.id)
    copies = [r for r in rows if r.kind == COPY]
    last = copies[-1] if copies else None
    if last is not None and last.status is OutboxStatus.SENT:
        return 0
    pending = last is not None and last.status is OutboxStatus.PENDING
    if (
        pending
        and last is not None
        and not await _away_at(session, last.person_id, last.next_attempt_at)
    ):
        return 0  # on its way, to someone who will be there
    if len(copies) >= MAX_HANDOVERS:
        await _tell_admins(services, session, message)
        return 0
    coworker = await session.get_one(Person, message.coworker_id)
    hearer = await who_hears(services, session, coworker, services.now())
    staff = hearer.person
    if staff is None or staff.telegram_user_id is None:
        await _tell_admins(services, session, message)
        return 0
    if last is not None and last.status is OutboxStatus.PENDING and staff.id == last.person_id:
        return 0  # nobody else: it stays with them, kept for when they are back
    for row in rows:
        if row.status is OutboxStatus.PENDING:
            row.status = OutboxStatus.DROPPED
            row.last_error = "handed on: its person is away"
    await _queue_for(services, session, message, coworker, hearer, len(copies) + 1)
    await _tell_coworker(services, session, message, coworker, hearer)
    log.info("message %s handed on to staff %s", message.id, staff.id)
    return 1


async def _away_at(session: AsyncSession, person_id: int | None, at: datetime) -> bool:
    if person_id is None:
        return True
    away = await rota_repo.absences_of(session, [person_id], at, at + timedelta(seconds=1))
    return bool(away)


async def _queue_for(
    services: Services,
    session: AsyncSession,
    message: Message,
    coworker: Person,
    hearer: Hearer,
    attempt: int,
) -> None:
    staff = hearer.person
    assert staff is not None and staff.telegram_user_id is not None
    message.staff_id = staff.id
    group = await session.get(Group, coworker.group_id) if coworker.group_id else None
    at = hearer.at or services.now()
    for part, kind, payload in relay.for_staff(
        Texts(staff.language), coworker, group, None, message
    ):
        await queue(
            services,
            session,
            staff,
            payload,
            key=messages_repo.relay_key(message.id, f"{part}:{attempt}"),
            kind=kind,
            not_before=at,
        )


async def _tell_coworker(
    services: Services, session: AsyncSession, message: Message, coworker: Person, hearer: Hearer
) -> None:
    """The co-worker was promised something else: say who gets it now, and when."""
    staff = hearer.person
    if staff is None or coworker.telegram_user_id is None or coworker.unreachable:
        return
    t = Texts(coworker.language)
    if hearer.at is None:
        text = t("relay.handed_on_now", name=escape(staff.display_name))
    else:
        when = when_in_words(t, hearer.at, services.zone, services.today())
        text = t("relay.handed_on_later", name=escape(staff.display_name), when=when)
    await queue(
        services,
        session,
        coworker,
        Rendered(text),
        key=f"relay:{message.id}:told:{staff.id}",
        kind=NOTE,
    )


async def _tell_admins(services: Services, session: AsyncSession, message: Message) -> None:
    """Nobody on staff can get it: the responsible admin (or the admins) hear that a
    message is waiting (never what it says), once a day per co-worker."""
    coworker = await session.get_one(Person, message.coworker_id)
    group = await session.get(Group, coworker.group_id) if coworker.group_id else None
    admins = await help_repo.responsible_admins(session, group)
    if not admins:
        if message.id not in _warned:  # once per message and process, not every tick
            _warned.add(message.id)
            log.warning("message %s: no member of staff and no admin can get it", message.id)
        return
    for admin in admins:
        assert admin.telegram_user_id is not None
        t = Texts(admin.language)
        await queue(
            services,
            session,
            admin,
            Rendered(t("relay.nobody_to_give", name=escape(coworker.display_name))),
            # One note a day per co-worker, however many messages wait.
            key=f"waiting:{coworker.id}:{services.today().isoformat()}:{admin.id}",
            kind=NOTE,
        )
