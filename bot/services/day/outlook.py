"""A co-worker's look ahead and back: ``/week`` (the coming days' plans, drafted or
projected), ``/history`` (what they did lately, and how many days in a row), and the opt-in
evening preview of tomorrow's list.

The preview goes at ``evening_preview_time`` (local wall-clock time) to those who chose
it in ``/settings`` and have a plan for tomorrow; like the summary it is queued once
(idempotency key), up to :data:`PREVIEW_GRACE` late, never in quiet hours.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.i18n import Texts
from bot.outbox.queue import message, queue_all
from bot.services.day.summary import is_quiet, local_time, window
from bot.services.planning import projection
from bot.views.outlook import preview
from storage.models import DayPlan, Person, TaskStatus
from storage.repos import outlook as repo

log = logging.getLogger(__name__)

WEEK_DAYS = 7  # /week: from tomorrow, this many days
HISTORY_DAYS = 7  # /history: today and the days before it, this many in all
STREAK_LOOKBACK = 1000  # sent lists looked at for the streak, at most
PREVIEW_KIND = "preview"
PREVIEW_GRACE = timedelta(hours=1)
BATCH = 200


@dataclass(frozen=True)
class DayTitles:
    day: date
    titles: list[str]
    final: bool = True  # False: not drafted yet, projected (see ``projection``)


@dataclass(frozen=True)
class History:
    days: list[DayTitles]  # days with something done, oldest first
    streak: int


def planned_titles(plan: DayPlan) -> list[str]:
    """What is on the plan, in order (a task already carried to another day is not)."""
    return [
        task.template.title for task in plan.tasks if task.status is not TaskStatus.CARRIED_OVER
    ]


async def week(services: Services, session: AsyncSession, person: Person) -> list[DayTitles]:
    """The coming days from tomorrow, drafted or projected (a day not drafted yet shows
    what drafting will put there: recurrences and additions, not today's unfinished
    tasks); days with nothing planned left out."""
    today = services.today()
    days = await projection.project(
        services, session, person, today + timedelta(days=WEEK_DAYS), carry_today=False
    )
    return [
        DayTitles(day.day, [task.title for task in day.tasks], day.final)
        for day in days.values()
        if day.day > today and day.tasks
    ]


def streak(sent: Iterable[tuple[date, int]], today: date) -> int:
    """Days in a row, counted back over days whose list was sent, with at least one task
    done. Days without a sent list (weekends, holidays) neither count nor break it; today
    counts once something is done, and does not break it before then.

    ``sent``: (day, tasks done) for each day with a sent list, newest first.
    """
    count = 0
    for day, done in sent:
        if day > today:
            continue
        if done:
            count += 1
        elif day != today:
            break
    return count


async def history(services: Services, session: AsyncSession, person: Person) -> History:
    today = services.today()
    first = today - timedelta(days=HISTORY_DAYS - 1)
    days = []
    for plan in await repo.plans_between(session, person.id, first, today):
        done = [task.template.title for task in plan.tasks if task.status is TaskStatus.DONE]
        if done:
            days.append(DayTitles(plan.day, done))
    sent = await repo.sent_days(session, person.id, today, STREAK_LOOKBACK)
    return History(days, streak(sent, today))


async def set_evening_preview(session: AsyncSession, person_id: int, on: bool) -> Person | None:
    person = await session.get(Person, person_id)
    if person is None:
        return None
    person.evening_preview = on
    return person


def preview_key_parts(day: date) -> tuple[str, str]:
    """The preview's key is ``prefix + person id + suffix``; ``day`` is the day previewed."""
    return "preview:", f":{day.isoformat()}"


async def queue_previews(services: Services) -> int:
    """Queue the evening previews of tomorrow's lists that are due; the number queued now."""
    due = window(services, services.settings.evening_preview_time, PREVIEW_GRACE)
    if due is None:
        return 0
    today, due_at = due
    tomorrow = today + timedelta(days=1)
    prefix, suffix = preview_key_parts(tomorrow)
    queued = 0
    after_id = 0
    while True:
        async with services.sessions.begin() as session:
            rows = await repo.previews_due(session, tomorrow, prefix, suffix, after_id, BATCH)
            previews = [
                message(
                    person,  # on Telegram: the query guarantees it
                    preview(Texts(person.language), planned_titles(plan)),
                    key=f"{prefix}{person.id}{suffix}",
                    kind=PREVIEW_KIND,
                    useful_until=due_at + PREVIEW_GRACE,
                )
                for plan, person in rows
                if not is_quiet(person, local_time(services))
            ]
            queued += len(await queue_all(session, previews, services.now()))
        if len(rows) < BATCH:
            break
        after_id = rows[-1][0].id
    if queued:
        log.info("queued %s evening previews", queued)
    return queued
