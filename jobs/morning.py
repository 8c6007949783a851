"""The day clock: draft what is due, then queue the morning lists whose time has come
(the outbox job sends them)."""

from __future__ import annotations

import logging

from bot.services.day import morning
from jobs.common import Context, services_of
from jobs.drafting import plan_ahead

log = logging.getLogger(__name__)


async def deliver_morning_lists(context: Context) -> None:
    # Draft first: a list must not go out before today's recurring tasks are on it.
    await plan_ahead(context)
    queued = await morning.enqueue_due_lists(services_of(context))
    if queued:
        log.info("queued %s morning lists", queued)
