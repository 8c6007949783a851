"""The clock's door for the daily group summary to support persons."""

from __future__ import annotations

from bot.services.day.staff_summary import queue_staff_summaries
from jobs.common import Context, services_of


async def send_staff_summaries(context: Context) -> None:
    await queue_staff_summaries(services_of(context))
