"""The clock's step for promises that fell due unkept (``bot/services/promises.py``)."""

from __future__ import annotations

import logging

# The modules that register promise kinds: imported here so every kind has its handler
# wherever this job runs. A new kind's module is added to this list.
import bot.services.safety_net.first_list
import bot.services.safety_net.held_lists  # noqa: F401
from bot.services import promises
from jobs.common import Context, services_of

log = logging.getLogger(__name__)


async def run_promises(context: Context) -> None:
    closed = await promises.run_due(services_of(context))
    if closed:
        log.info("%s promises came due and were dealt with", closed)
