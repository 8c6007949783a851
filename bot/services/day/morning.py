"""Morning delivery: each co-worker's list goes into the outbox at their own time.

A draft goes as drafted unless the co-worker's group waits for approval
(``Group.send_unapproved_drafts``). Then the list is held, and its promise
(``bot/services/safety_net/held_lists.py``) sees to it that the co-worker and the staff member
responsible now are told; once approved, the list goes out on the next tick (within
the morning grace window), and past that window nobody is left without a word.

Right after each list, in the same transaction, the morning check-in ("Hur mår du
idag?", ``bot/services/day/checkins.py``) is queued, so it follows the list.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.i18n import Texts
from bot.outbox.queue import Queued, message, queue_all
from bot.rules.localtime import local_moment
from bot.services.day import checkins
from bot.services.safety_net import first_list, held_lists
from bot.views.morning import morning_list
from storage.models import DayList, DayPlan, OutboxMessage, Person, PlanStatus
from storage.repos import due_lists
from storage.repos import promises as promises_repo

log = logging.getLogger(__name__)

KIND = "morning_list"
HELD_KIND = "held_list"
# Lists queued to a transaction. Queueing runs at the morning time, as co-workers press:
# a batch holds the event loop and SQLite's write lock while it runs, and a batch of 100
# holds them about a third as long as one of 500 (45-60 ms at most), for 1.2 times the
# time on SQLite and 1.5 on PostgreSQL: 1-1.6 % of the time it takes to send the lists
# (docs/performance.md, "Batches of 100 at the morning time").
BATCH = 100


def idempotency_key(coworker_id: int, plan: DayPlan) -> str:
    return f"morning:{coworker_id}:{plan.day.isoformat()}"


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
            due = await due_lists.due_for_delivery(session, now, not_before, BATCH)
            await _queue_lists(services, session, due, now)
        queued += len(due)
        if len(due) < BATCH:
            break
    await tell_about_held_lists(services, now, not_before)
    return queued


async def _queue_lists(
    services: Services, session: AsyncSession, due: list[tuple[DayPlan, Person]], now: datetime
) -> None:
    """Queue each plan's list and, right after it, its check-in, in one statement; mark
    the plans sent (one flush); keep the promises there are about these lists."""
    messages: list[Queued] = []
    for plan, person in due:
        rendered = morning_list(Texts(person.language), person, DayList.of(plan))
        messages.append(
            message(
                person,  # on Telegram: the query guarantees it
                rendered,
                key=idempotency_key(person.id, plan),
                kind=KIND,
                useful_until=_end_of(plan.day, services),
                extra={"plan_id": plan.id},
            )
        )
        messages.append(checkins.morning_question_message(services, person, plan.day))
        plan.status = PlanStatus.SENT
        plan.sent_at = now
    await queue_all(session, messages, now)
    # Most lists have no promise: look them all up at once, and keep only those there are.
    subjects = {
        plan.id: (
            held_lists.due_subject(plan),
            held_lists.approval_subject(plan),
            first_list.subject(person),
        )
        for plan, person in due
    }
    promised = await promises_repo.existing(
        session, [s for three in subjects.values() for s in three]
    )
    for plan, _person in due:
        due_subject, approval_subject, first_subject = subjects[plan.id]
        if due_subject in promised or approval_subject in promised:
            await held_lists.list_sent(services, session, plan)
        if first_subject in promised:
            await first_list.list_sent(services, session, plan)


async def tell_about_held_lists(services: Services, now: datetime, not_before: datetime) -> int:
    """Make sure each list held for approval at its morning time has its promise
    (``bot/services/safety_net/held_lists.py``), whose handler tells the co-worker and the staff
    member responsible now. Returns how many promises were made now."""
    made = 0
    after_id = 0
    while True:
        async with services.sessions.begin() as session:
            held = await due_lists.held_for_approval(session, now, not_before, after_id, BATCH)
            subjects = [held_lists.due_subject(plan) for plan, _, _ in held]
            promised = await promises_repo.existing(session, subjects)
            for plan, _coworker, contact in held:
                if held_lists.due_subject(plan) not in promised:
                    await held_lists.promise_list(services, session, plan, contact)
                    made += 1
        if len(held) < BATCH:
            break
        after_id = held[-1][0].id
    if made:
        log.info("%s lists wait for approval at their morning time", made)
    return made


async def remember_list_message(
    session: AsyncSession, row: OutboxMessage, message_id: int, _now: datetime
) -> None:
    """After the list is sent: keep its message id so the list can be edited in place."""
    await remember_list(session, int(row.payload["plan_id"]), message_id)


async def remember_list(session: AsyncSession, plan_id: int, message_id: int) -> None:
    """The day's list is message ``message_id`` in its co-worker's chat: kept so the
    list can be edited in place."""
    plan = await session.get(DayPlan, plan_id)
    if plan is not None:
        plan.list_message_id = message_id
