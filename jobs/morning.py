"""Morning delivery: queue the lists whose time has come (the outbox job sends them)."""

from __future__ import annotations

import logging

from bot.services import morning
from jobs.common import Context, services_of

log = logging.getLogger(__name__)


async def deliver_morning_lists(context: Context) -> None:
    queued = await morning.enqueue_due_lists(services_of(context))
    if queued:
        log.info("queued %s morning lists", queued)
