"""Morning delivery: each co-worker's list goes into the outbox at their own time.

A draft goes as drafted unless the co-worker's group waits for approval
(``Group.send_unapproved_drafts``). Then the list is held, and the co-worker's
contact person is told once that day, with a button to review it; once approved,
the list goes out on the next tick (within the morning grace window).

Right after each list, in the same transaction, the morning check-in ("Hur mår du
idag?", ``bot/services/checkins.py``) is queued, so it follows the list.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Texts
from bot.services import checkins
from bot.services.context import Services
from bot.timeutil import local_moment
from bot.views.day import morning_list
from bot.views.held import held_notice
from storage.models import DayPlan, OutboxMessage, PlanStatus
from storage.repos import outbox as outbox_repo
from storage.repos import plans as plan_repo

log = logging.getLogger(__name__)

KIND = "morning_list"
HELD_KIND = "held_list"
BATCH = 500

# Held lists whose co-worker has no contact person to tell: warned about once per
# process and day, not on every tick of the grace window.
_warned_no_contact: set[tuple[int, date]] = set()


def idempotency_key(coworker_id: int, plan: DayPlan) -> str:
    return f"morning:{coworker_id}:{plan.day.isoformat()}"


def held_key(staff_id: int, coworker_id: int, day: date) -> str:
    return f"held:{staff_id}:{coworker_id}:{day.isoformat()}"


def _end_of(day: date, services: Services) -> datetime:
    return local_moment(day + timedelta(days=1), time(0), services.zone)


async def enqueue_due_lists(services: Services) -> int:
    """Queue every list whose morning has come; each plan is queued exactly once.
    Lists held for approval are not queued; their contact persons are told instead."""
    now = services.now()
    not_before = now - timedelta(hours=services.settings.morning_grace_hours)
    queued = 0
    while True:
        async with services.sessions.begin() as session:
            due = await plan_repo.due_for_delivery(session, now, not_before, BATCH)
            for plan, person in due:
                assert person.telegram_user_id is not None  # the query guarantees it
                rendered = morning_list(Texts(person.language), person, plan)
                await outbox_repo.enqueue(
                    session,
                    key=idempotency_key(person.id, plan),
                    chat_id=person.telegram_user_id,
                    person_id=person.id,
                    kind=KIND,
                    payload=rendered.payload() | {"plan_id": plan.id},
                    now=now,
                    useful_until=_end_of(plan.day, services),
                )
                await checkins.queue_morning_question(services, session, person, plan.day, now)
                plan.status = PlanStatus.SENT
                plan.sent_at = now
        queued += len(due)
        if len(due) < BATCH:
            break
    await tell_about_held_lists(services, now, not_before)
    return queued


async def tell_about_held_lists(services: Services, now: datetime, not_before: datetime) -> int:
    """Tell the primary contact person of each list held for approval, once per list.
    Returns how many notes were queued now (not those queued on an earlier tick)."""
    told = 0
    after_id = 0
    while True:
        async with services.sessions.begin() as session:
            held = await plan_repo.held_for_approval(session, now, not_before, after_id, BATCH)
            for plan, coworker, contact in held:
                if contact is None:
                    _warn_no_contact(services, coworker.id, plan.day)
                    continue
                assert contact.telegram_user_id is not None  # the query guarantees it
                rendered = held_notice(Texts(contact.language), coworker, plan)
                told += await outbox_repo.enqueue(
                    session,
                    key=held_key(contact.id, coworker.id, plan.day),
                    chat_id=contact.telegram_user_id,
                    person_id=contact.id,
                    kind=HELD_KIND,
                    payload=rendered.payload(),
                    now=now,
                    useful_until=_end_of(plan.day, services),
                )
        if len(held) < BATCH:
            break
        after_id = held[-1][0].id
    if told:
        log.info("told contact persons about %s lists waiting for approval", told)
    return told


def _warn_no_contact(services: Services, coworker_id: int, day: date) -> None:
    if (coworker_id, day) in _warned_no_contact:
        return
    yesterday = services.today() - timedelta(days=1)
    for old in [key for key in _warned_no_contact if key[1] < yesterday]:
        _warned_no_contact.discard(old)
    _warned_no_contact.add((coworker_id, day))
    log.warning(
        "list of co-worker %s for %s waits for approval, and no primary contact person "
        "on Telegram can be told",
        coworker_id,
        day.isoformat(),
    )


async def remember_list_message(
    session: AsyncSession, row: OutboxMessage, message_id: int, _now: datetime
) -> None:
    """After the list is sent: keep its message id so the list can be edited in place."""
    plan = await session.get(DayPlan, int(row.payload["plan_id"]))
    if plan is not None:
        plan.list_message_id = message_id
