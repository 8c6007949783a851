"""Tidying: hourly, forget updates processed more than a day ago (Telegram does not
deliver an update again after that) and conversation states nobody touched for a day;
nightly, delete what is past its retention period."""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.services.privacy import retention, tidying
from jobs.common import Context, services_of

log = logging.getLogger(__name__)

KEEP_UPDATES = timedelta(days=1)
EVERY_SECONDS = 3600.0


async def forget_old_updates(context: Context) -> None:
    services = services_of(context)
    async with services.sessions.begin() as session:
        forgotten, states = await tidying.forget_before(session, services.now() - KEEP_UPDATES)
    if forgotten or states:
        log.info("forgot %s processed updates and %s conversation states", forgotten, states)


RETENTION_DONE = "retention_done"  # bot_data: the local date retention last ran for


async def apply_retention(context: Context) -> None:
    """Once a night, after the local ``retention_time``; after a night the bot was down,
    on its first tick after that time."""
    services = services_of(context)
    today = services.today()
    done = context.application.bot_data
    local_time = services.now().astimezone(services.zone).time()
    if done.get(RETENTION_DONE) == today or local_time < services.settings.retention_time:
        return
    await retention.apply(services)
    done[RETENTION_DONE] = today
