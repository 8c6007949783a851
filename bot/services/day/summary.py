"""The end of the co-worker's day: at ``end_of_day_time`` (local wall-clock time) a short,
kind summary to each co-worker whose list was sent today, with the evening check-in.

Tasks not done are not changed here: the evening drafting carries them over to the next
working day (``bot/services/planning/drafting.py``); the summary only says so, without blame.
The clock's tick calls :func:`queue_summaries` often; each summary has an idempotency
key, and what was queued is not fetched again. A summary is still sent up to
:data:`GRACE` late (after a restart), never in the person's quiet hours.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

from bot.context import Services
from bot.i18n import Texts
from bot.outbox.queue import Queued, message, queue_all
from bot.rules.localtime import local_moment, within
from bot.rules.working_days import next_working_day
from bot.services.day.checkins import summary_key, summary_key_parts
from bot.views.summary import summary
from storage.models import DayPlan, Person, TaskStatus
from storage.repos import summary as repo

log = logging.getLogger(__name__)

KIND = "summary"
GRACE = timedelta(hours=2)
BATCH = 200


def is_quiet(person: Person, at: time) -> bool:
    """Whether local time ``at`` falls in the person's quiet hours (which may span midnight)."""
    return within(at, person.quiet_start, person.quiet_end)


def window(services: Services, at: time, grace: timedelta) -> tuple[date, datetime] | None:
    """Today and the UTC moment of local ``at`` today, if now is within ``grace`` after it."""
    today = services.today()
    due = local_moment(today, at, services.zone)
    return (today, due) if due <= services.now() <= due + grace else None


def local_time(services: Services) -> time:
    return services.now().astimezone(services.zone).time()


def done_and_moving(plan: DayPlan) -> tuple[list[str], list[str]]:
    """Titles of the tasks done, and of those the drafting will carry over, in list order."""
    done = [task.template.title for task in plan.tasks if task.status is TaskStatus.DONE]
    moving = [task.template.title for task in plan.tasks if task.status is not TaskStatus.DONE]
    return done, moving


async def queue_summaries(services: Services) -> int:
    """Queue today's summaries that are due; the number queued now."""
    due = window(services, services.settings.end_of_day_time, GRACE)
    if due is None:
        return 0
    today, due_at = due
    prefix, suffix = summary_key_parts(today)
    queued = 0
    after_id = 0
    while True:
        async with services.sessions.begin() as session:
            rows = await repo.summaries_due(session, today, prefix, suffix, after_id, BATCH)
            messages = [
                _message(plan, person, due_at + GRACE)
                for plan, person in rows
                if not is_quiet(person, local_time(services))
            ]
            queued += len(await queue_all(session, messages, services.now()))
        if len(rows) < BATCH:
            break
        after_id = rows[-1][0].id
    if queued:
        log.info("queued %s end-of-day summaries", queued)
    return queued


def _message(plan: DayPlan, person: Person, until: datetime) -> Queued:
    assert person.telegram_user_id is not None  # the query guarantees it
    done, moving = done_and_moving(plan)
    body, rendered = summary(
        Texts(person.language), plan.day, next_working_day(plan.day), done, moving
    )
    return message(
        person,
        rendered,
        key=summary_key(person.id, plan.day),
        kind=KIND,
        useful_until=until,
        extra={"body": body},
    )
