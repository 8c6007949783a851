"""Morning delivery: queue the lists whose time has come, then hand them to the sender."""

from __future__ import annotations

import logging

from bot.services import morning
from jobs.common import Context, sender_of, services_of

log = logging.getLogger(__name__)


async def deliver_morning_lists(context: Context) -> None:
    queued = await morning.enqueue_due_lists(services_of(context))
    if queued:
        log.info("queued %s morning lists", queued)
        await sender_of(context).drain()
