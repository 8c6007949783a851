"""What became of a send, written to its outbox row (bot/outbox/sender.py sends).

Telegram took it: the row is sent, with the message's id, and the kind's hook runs
(recorded even while the database is briefly away). Telegram refused it for now: it
is tried again after a back-off, up to a limit. It will never go (400, a broken
payload) or the person blocked the bot (403): it is dead, with the reason kept, and a
person who blocked the bot goes to the ``on_blocked`` hook the application wires in
(bot/runtime/app.py: marked unreachable, their contact persons told). Nothing is dropped
without a record.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from storage.models import OutboxMessage, OutboxStatus, Person

log = logging.getLogger(__name__)

OnSent = Callable[[AsyncSession, OutboxMessage, int, datetime], Awaitable[None]]
# A person blocked the bot: what the rest of Vardag does about it, in the row's session.
OnBlocked = Callable[[Services, AsyncSession, Person], Awaitable[None]]

MAX_BACKOFF_SECONDS = 300.0
RECORD_RETRY_SECONDS = 0.5
RECORD_PATIENCE_SECONDS = 600.0  # a sent message is recorded even this long after


def backoff(attempts: int) -> timedelta:
    """Exponential back-off with jitter: about 2, 4, 8 … seconds, capped at 5 minutes."""
    base = min(2.0**attempts, MAX_BACKOFF_SECONDS)
    return timedelta(seconds=base * random.uniform(0.75, 1.25))


async def record_sent(
    services: Services,
    row: OutboxMessage,
    message_id: int,
    on_sent: Mapping[str, OnSent],
    lease_seconds: float,
) -> None:
    """Telegram took it: record that, trying again until the database answers. Past
    the lease (``lease_seconds``) another sender may send it again (the database away
    for this instance only); one that has just taken over waits a moment for this."""
    give_up = time.monotonic() + max(lease_seconds, RECORD_PATIENCE_SECONDS)
    while True:
        try:
            await _sent(services, row, message_id, on_sent)
            return
        except (DBAPIError, OSError, TimeoutError):
            if time.monotonic() + RECORD_RETRY_SECONDS > give_up:
                raise
            await asyncio.sleep(RECORD_RETRY_SECONDS)


async def _sent(
    services: Services, row: OutboxMessage, message_id: int, on_sent: Mapping[str, OnSent]
) -> None:
    now = services.now()
    async with services.sessions.begin() as session:
        stored = await session.get(OutboxMessage, row.id)
        if stored is None or stored.status is OutboxStatus.SENT:
            return  # sent again by another sender after the lease: its record stays
        stored.status = OutboxStatus.SENT
        stored.attempts += 1
        stored.telegram_message_id = message_id
        stored.sent_at = now
        stored.last_error = None
        hook = on_sent.get(stored.kind)
        if hook is not None:
            await hook(session, stored, message_id, now)


async def retry(
    services: Services, row_id: int, delay: timedelta, error: str, *, count: bool = True
) -> None:
    """Try again after ``delay``; ``count``: the attempt counts towards the limit."""
    now = services.now()
    async with services.sessions.begin() as session:
        stored = await session.get(OutboxMessage, row_id)
        if stored is None:
            return
        stored.attempts += 1
        stored.last_error = error
        if count and stored.attempts >= services.settings.outbox_max_attempts:
            stored.status = OutboxStatus.DEAD
            log.warning("outbox %s: gave up after %s attempts", row_id, stored.attempts)
        else:
            stored.next_attempt_at = now + delay


async def finish(services: Services, row_id: int, status: OutboxStatus, error: str) -> None:
    async with services.sessions.begin() as session:
        stored = await session.get(OutboxMessage, row_id)
        if stored is not None:
            stored.status = status
            stored.last_error = error[:500]
    log.warning("outbox %s: %s (%s)", row_id, status.value, error[:80])


async def blocked(services: Services, row: OutboxMessage, on_blocked: OnBlocked) -> None:
    await finish(services, row.id, OutboxStatus.DEAD, "403: the person has blocked the bot")
    if row.person_id is None:
        return
    async with services.sessions.begin() as session:
        person = await session.get(Person, row.person_id)
        if person is not None:
            await on_blocked(services, session, person)
