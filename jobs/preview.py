"""The evening clock: queue the opt-in previews of tomorrow's lists once their time has
come (the outbox job sends them)."""

from __future__ import annotations

from bot.services.day import outlook
from jobs.common import Context, services_of


async def queue_previews(context: Context) -> None:
    await outlook.queue_previews(services_of(context))
