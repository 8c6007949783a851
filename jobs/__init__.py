"""The doors the clock comes in by: a handful of recurring jobs that pick up due rows.

No job is ever made per reminder or per person: times that matter live in the
database, so they survive a restart.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import JobQueue

from bot.config import Settings
from jobs.common import logged_once
from jobs.escalation import escalate_help
from jobs.housekeeping import EVERY_SECONDS, apply_retention, forget_old_updates
from jobs.morning import deliver_morning_lists
from jobs.outbox import drain_outbox
from jobs.preview import queue_previews
from jobs.promises import run_promises
from jobs.reminders import send_due_reminders
from jobs.staff_summary import send_staff_summaries
from jobs.summary import queue_summaries

OUTBOX_INTERVAL_SECONDS = 1.0


def register(job_queue: JobQueue[Any], settings: Settings) -> None:
    every = settings.tick_seconds
    job_queue.run_repeating(
        logged_once(deliver_morning_lists), interval=every, first=0.0, name="morning"
    )
    job_queue.run_repeating(
        logged_once(queue_summaries), interval=every, first=0.3, name="end_of_day"
    )
    job_queue.run_repeating(logged_once(queue_previews), interval=every, first=0.4, name="preview")
    job_queue.run_repeating(
        logged_once(send_due_reminders), interval=every, first=0.2, name="reminders"
    )
    job_queue.run_repeating(
        logged_once(escalate_help), interval=every, first=0.1, name="escalation"
    )
    job_queue.run_repeating(
        logged_once(send_staff_summaries), interval=every, first=0.6, name="staff_summary"
    )
    job_queue.run_repeating(logged_once(run_promises), interval=every, first=0.15, name="promises")
    job_queue.run_repeating(
        logged_once(forget_old_updates), interval=EVERY_SECONDS, first=60.0, name="housekeeping"
    )
    job_queue.run_repeating(
        logged_once(apply_retention), interval=every, first=0.7, name="retention"
    )
    drain_every = min(every, OUTBOX_INTERVAL_SECONDS)
    # Two instances may overlap: the second sees the sender busy and returns at once
    # (instead of APScheduler skipping it with a warning).
    job_queue.run_repeating(
        logged_once(drain_outbox),
        interval=drain_every,
        first=0.5,
        name="outbox",
        job_kwargs={"max_instances": 2},
    )
