"""The evening review: after drafting, each co-worker's draft goes, with its buttons, to the
staff member responsible for them now (``bot/services/messages/responsible.py``: on duty, else the
primary contact person unless away, else the secondary, else the group's staff), and,
when one person has more than one draft, a last message that approves them all with one
press. In a group that waits for approval the list's promise is made here
(``bot/services/safety_net/held_lists.py``), so a list that is not approved is never
dropped silently.

Each message has an idempotency key, so drafting again (a restart, a second instance)
sends nothing twice; a review not sent by the co-worker's morning time is dropped.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.i18n import Texts
from bot.outbox.queue import queue
from bot.rules.review import Review
from bot.services.messages.responsible import responsible_now
from bot.services.planning import drafting
from bot.services.privacy import audit
from bot.services.safety_net import first_list, held_lists
from bot.views import review as views
from storage.models import DayPlan, Person, PlanStatus
from storage.repos import reviews as reviews_repo

KIND = "review"
log = logging.getLogger(__name__)


async def send_reviews(services: Services, day: date) -> int:
    """Queue the review messages for ``day``; the number of new ones."""
    async with services.sessions.begin() as session:
        drafts: dict[int, list[tuple[DayPlan, Person]]] = defaultdict(list)
        staff_by_id: dict[int, Person] = {}
        queued = 0
        now = services.now()
        for plan, coworker in await reviews_repo.lists_to_review(session, day):
            # A second run (after a restart) goes to whoever was chosen the first time.
            earlier = await reviews_repo.review_sent_to(session, coworker.id, day)
            staff = (
                await session.get(Person, earlier)
                if earlier is not None
                else await responsible_now(services, session, coworker, now)
            )
            if plan.status is PlanStatus.DRAFT and await held_lists.waits_for_approval(
                session, coworker
            ):
                await held_lists.promise_list(services, session, plan, staff)
            if staff is None:
                log.warning("no staff to review the list of co-worker %s", coworker.id)
                continue
            staff_by_id[staff.id] = staff
            queued += await _queue_review(services, session, plan, coworker, staff)
            if plan.status is PlanStatus.DRAFT:
                drafts[staff.id].append((plan, coworker))
        queued += await first_list.ask_to_plan(services, session, day)
        for staff_id, theirs in drafts.items():
            if len(theirs) > 1:
                queued += await _queue_approve_all(services, session, staff_by_id[staff_id], theirs)
    if queued:
        log.info("queued %s review messages for %s", queued, day.isoformat())
    return queued


async def _queue_review(
    services: Services, session: AsyncSession, plan: DayPlan, coworker: Person, staff: Person
) -> int:
    assert staff.telegram_user_id is not None  # responsible_now guarantees it
    shown = Review(
        coworker, plan.day, plan, await drafting.deferred_from(session, coworker, plan.day)
    )
    added = await queue(
        services,
        session,
        staff,
        views.review_view(Texts(staff.language), shown),
        key=reviews_repo.review_key(staff.id, coworker.id, plan.day),
        kind=KIND,
        useful_until=plan.deliver_at,
    )
    if added:
        await audit.record(
            services, session, actor=staff, subject=coworker, action="plan.review_sent"
        )
    return int(added)


async def _queue_approve_all(
    services: Services,
    session: AsyncSession,
    staff: Person,
    drafts: list[tuple[DayPlan, Person]],
) -> int:
    assert staff.telegram_user_id is not None
    day = drafts[0][0].day
    rendered = views.approve_all(Texts(staff.language), day, [c.display_name for _, c in drafts])
    added = await queue(
        services,
        session,
        staff,
        rendered,
        key=f"review-all:{staff.id}:{day.isoformat()}",
        kind=KIND,
        useful_until=min(plan.deliver_at for plan, _ in drafts),
    )
    return int(added)
