"""The doors the clock comes in by: a handful of recurring jobs that pick up due rows.

No job is ever made per reminder or per person: times that matter live in the
database, so they survive a restart.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import JobQueue

from bot.config import Settings
from jobs.morning import deliver_morning_lists
from jobs.outbox import drain_outbox

OUTBOX_INTERVAL_SECONDS = 1.0


def register(job_queue: JobQueue[Any], settings: Settings) -> None:
    every = settings.tick_seconds
    job_queue.run_repeating(deliver_morning_lists, interval=every, first=0.0, name="morning")
    drain_every = min(every, OUTBOX_INTERVAL_SECONDS)
    job_queue.run_repeating(
        drain_outbox, interval=drain_every, first=0.5, name="outbox", data=drain_every
    )
