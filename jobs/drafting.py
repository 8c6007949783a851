"""Drafting: the evening run drafts the coming days' plans; a morning run is the safety net.

Both run from the clock's tick (:func:`plan_ahead`), reading the injectable clock, so
tests and the demo can move time. Both are idempotent (a second run changes nothing)
and never touch an approved or sent plan, so running them again after a restart is safe.
"""

from __future__ import annotations

import logging

from bot.services.planning import drafting, drafting_everyone, evening_review
from jobs.common import Context, services_of

log = logging.getLogger(__name__)


async def draft_tomorrow(context: Context) -> None:
    """Draft tomorrow's plans, and every day up to the next working day (on a Friday:
    Saturday, Sunday and Monday), and send each support person their review of them
    before they go home."""
    services = services_of(context)
    for day in drafting.days_ahead(services.today()):
        changed = await drafting_everyone.draft_all(services, day)
        if changed:
            log.info("drafted %s plans for %s", changed, day.isoformat())
        await evening_review.send_reviews(services, day)


async def draft_today(context: Context) -> None:
    """Before the first morning list: draft today's plans that are still drafts (or missing)."""
    services = services_of(context)
    today = services.today()
    changed = await drafting_everyone.draft_all(services, today)
    if changed:
        log.info("drafted %s plans for today (%s)", changed, today.isoformat())


DRAFTED = "drafted"  # bot_data: the local dates this process has drafted for


async def plan_ahead(context: Context) -> None:
    """On every tick: today's safety net once a day (and at start), and the coming days
    once the local draft time has passed. Both are idempotent, so a restart only repeats
    work that changes nothing."""
    services = services_of(context)
    memo: dict[str, object] = context.application.bot_data.setdefault(DRAFTED, {})
    today = services.today()
    if memo.get("today") != today:
        await draft_today(context)
        memo["today"] = today
    local_time = services.now().astimezone(services.zone).time()
    if local_time >= services.settings.draft_time and memo.get("ahead") != today:
        await draft_tomorrow(context)
        memo["ahead"] = today
