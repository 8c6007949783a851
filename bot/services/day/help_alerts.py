"""Old alerts must not lie: once a member of staff takes a call for help (or a red
check-in), every other alert for it says who took it and loses its "I'm on it" button.

Each alert is an outbox row (``help:<request>:<n>``) that keeps the Telegram message id
once sent. Taking a call then, for every other alert:

* sent: an edit is queued through the outbox (so a failure is retried like any
  message), plus a short note "Bo tar hand om Kim." (an edit makes no sound, and
  nobody else should set out);
* not sent yet (waiting for its person's shift): dropped, with the reason kept;
* being sent at that very moment: the sender's hook (:func:`after_alert_sent`) finds the
  call taken and queues the edit then.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.i18n import Texts
from bot.outbox.queue import Chat, queue
from bot.rules.clock import StoppedClock
from bot.views import escalation as views
from storage.models import HelpRequest, OutboxMessage, OutboxStatus, Person
from storage.repos import help_requests as help_repo

log = logging.getLogger(__name__)

SETTLED, TAKEN = "help_settled", "help_taken"


async def settle(
    services: Services, session: AsyncSession, request: HelpRequest, taker: Person, coworker: Person
) -> None:
    """After ``taker`` took ``request``: settle everyone else's alert (see the module)."""
    for row in await help_repo.alerts(session, request.id):
        if row.person_id == taker.id:
            continue  # the taker's own alert is edited at once, as the answer to the press
        if row.status is OutboxStatus.PENDING:
            row.status = OutboxStatus.DROPPED
            row.last_error = "taken by another member of staff before it was sent"
        elif row.status is OutboxStatus.SENT and row.telegram_message_id is not None:
            await _queue_edit(session, row, taker, coworker, services.now())


async def after_alert_sent(
    session: AsyncSession, row: OutboxMessage, message_id: int, now: datetime
) -> None:
    """The sender's hook for an alert: sent after the call was taken (a race with the
    press), so settle it now."""
    request = await session.get(HelpRequest, _request_id(row))
    if request is None or request.acknowledged_by_id is None:
        return
    if request.acknowledged_by_id == row.person_id:
        return
    taker = await session.get(Person, request.acknowledged_by_id)
    coworker = await session.get(Person, request.coworker_id)
    if taker is not None and coworker is not None:
        await _queue_edit(session, row, taker, coworker, now)


def _request_id(row: OutboxMessage) -> int:
    return int(row.idempotency_key.split(":")[1])


async def _queue_edit(
    session: AsyncSession, row: OutboxMessage, taker: Person, coworker: Person, now: datetime
) -> None:
    person = await session.get(Person, row.person_id) if row.person_id else None
    if person is None or row.telegram_message_id is None:
        return
    t = Texts(person.language)
    edited = views.settled(t, str(row.payload.get("text", "")), taker, coworker, mine=False)
    clock, there = StoppedClock(now), Chat(row.chat_id, row.person_id)
    await queue(
        clock,
        session,
        there,
        edited,
        key=f"{row.idempotency_key}:settled",
        kind=SETTLED,
        extra={"edit": {"message_id": row.telegram_message_id}},
    )
    await queue(  # an edit makes no sound: so that nobody else sets out too
        clock,
        session,
        there,
        {"text": views.taken_line(t, taker, coworker)},
        key=f"help:{_request_id(row)}:taken:{person.id}",
        kind=TAKEN,
    )
    log.info("help request %s: alert %s settled", _request_id(row), row.id)


async def own_alert(
    session: AsyncSession, request: HelpRequest, staff: Person, taker: Person, coworker: Person
) -> views.Rendered | None:
    """What the alert ``staff`` pressed should now say (who took the call; no button)."""
    rows = [r for r in await help_repo.alerts(session, request.id) if r.person_id == staff.id]
    if not rows:
        return None
    text = str(rows[-1].payload.get("text", ""))
    return views.settled(Texts(staff.language), text, taker, coworker, mine=taker.id == staff.id)
