"""The clock's step for calls for help nobody has taken yet, and for co-workers'
messages whose promised delivery can no longer be kept."""

from __future__ import annotations

import logging

from bot.services.day import escalation
from bot.services.messages import waiting_messages
from jobs.common import Context, services_of

log = logging.getLogger(__name__)


async def escalate_help(context: Context) -> None:
    steps = await escalation.escalate_due(services_of(context))
    if steps:
        log.info("escalated %s calls for help", steps)
    await waiting_messages.look_after(services_of(context))
