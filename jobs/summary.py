"""The end-of-day clock: queue the co-workers' summaries once their time has come
(the outbox job sends them)."""

from __future__ import annotations

from bot.services.day import summary
from jobs.common import Context, services_of


async def queue_summaries(context: Context) -> None:
    await summary.queue_summaries(services_of(context))
