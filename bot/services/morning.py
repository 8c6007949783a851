"""Morning delivery: each co-worker's list goes into the outbox at their own time."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Texts
from bot.services.context import Services
from bot.timeutil import local_moment
from bot.views.day import morning_list
from storage.models import DayPlan, OutboxMessage, PlanStatus
from storage.repos import outbox as outbox_repo
from storage.repos import plans as plan_repo

KIND = "morning_list"
BATCH = 500


def idempotency_key(coworker_id: int, plan: DayPlan) -> str:
    return f"morning:{coworker_id}:{plan.day.isoformat()}"


async def enqueue_due_lists(services: Services) -> int:
    """Queue every list whose morning has come; each plan is queued exactly once."""
    now = services.now()
    not_before = now - timedelta(hours=services.settings.morning_grace_hours)
    queued = 0
    while True:
        async with services.sessions.begin() as session:
            due = await plan_repo.due_for_delivery(session, now, not_before, BATCH)
            for plan, person in due:
                assert person.telegram_user_id is not None  # the query guarantees it
                rendered = morning_list(Texts(person.language), person, plan)
                end_of_day = local_moment(plan.day + timedelta(days=1), time(0), services.zone)
                await outbox_repo.enqueue(
                    session,
                    key=idempotency_key(person.id, plan),
                    chat_id=person.telegram_user_id,
                    person_id=person.id,
                    kind=KIND,
                    payload=rendered.payload() | {"plan_id": plan.id},
                    now=now,
                    useful_until=end_of_day,
                )
                plan.status = PlanStatus.SENT
                plan.sent_at = now
        queued += len(due)
        if len(due) < BATCH:
            return queued


async def remember_list_message(
    session: AsyncSession, row: OutboxMessage, message_id: int, _now: datetime
) -> None:
    """After the list is sent: keep its message id so the list can be edited in place."""
    plan = await session.get(DayPlan, int(row.payload["plan_id"]))
    if plan is not None:
        plan.list_message_id = message_id
