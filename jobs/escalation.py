"""The clock's step for calls for help nobody has taken yet."""

from __future__ import annotations

import logging

from bot.services import escalation
from jobs.common import Context, services_of

log = logging.getLogger(__name__)


async def escalate_help(context: Context) -> None:
    steps = await escalation.escalate_due(services_of(context))
    if steps:
        log.info("escalated %s calls for help", steps)
