"""The reminder clock: make the rows today's timed tasks lack, then handle what is due
(the outbox job sends it)."""

from __future__ import annotations

import logging

from bot.services.day import reminders
from jobs.common import Context, services_of

log = logging.getLogger(__name__)


async def send_due_reminders(context: Context) -> None:
    queued = await reminders.tick(services_of(context))
    if queued:
        log.info("queued %s reminders", queued)
