"""The demo's clock bar: what happens next in the day, and jumping the clock to it.

Only the demo moves time. Each kind of event is found the way the clock's jobs will
find it (a morning time, a reminder's due time, the configured times of the day), and a
jump lands a second after it, so the next tick of the jobs does the rest.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.context import Services
from bot.rules.clock import MovableClock
from bot.rules.localtime import local_moment
from bot.rules.working_days import is_day_off, next_working_day
from storage.repos import upcoming

PAST_IT = timedelta(seconds=1)
LONGEST_JUMP = timedelta(hours=24)


class EventKind(enum.StrEnum):
    MORNING = "morning"
    REMINDER = "reminder"
    ESCALATION = "escalation"
    END_OF_DAY = "end_of_day"
    STAFF_SUMMARY = "staff_summary"
    REVIEW = "review"


@dataclass(frozen=True)
class Event:
    kind: EventKind
    at: datetime  # UTC


async def upcoming_events(services: Services) -> list[Event]:
    """The soonest event of each kind still to come, soonest first."""
    now = services.now()
    settings = services.settings
    async with services.sessions() as session:
        reminder = await upcoming.next_reminder_at(session, now)
        escalation = await upcoming.next_escalation_step_at(session, now)
        mornings = await upcoming.coworker_morning_times(session)
    morning = min(mornings, default=settings.default_morning_time)
    found = [
        Event(EventKind.MORNING, _next_working_moment(services, morning)),
        Event(EventKind.END_OF_DAY, _next_working_moment(services, settings.end_of_day_time)),
        Event(EventKind.STAFF_SUMMARY, _next_working_moment(services, settings.staff_summary_time)),
        Event(EventKind.REVIEW, _next_working_moment(services, settings.draft_time)),
    ]
    if reminder is not None:
        found.append(Event(EventKind.REMINDER, reminder))
    if escalation is not None:
        found.append(Event(EventKind.ESCALATION, escalation))
    return sorted(found, key=lambda event: event.at)


def _next_working_moment(services: Services, at: time) -> datetime:
    """Local ``at`` today if that is still to come on a working day, else on the next one."""
    today = services.today()
    day: date = today if not is_day_off(today) else next_working_day(today)
    moment = local_moment(day, at, services.zone)
    if moment <= services.now():
        moment = local_moment(next_working_day(day), at, services.zone)
    return moment


async def jump_to(services: Services, clock: MovableClock, kind: EventKind | None) -> Event | None:
    """Move the clock just past the next event of ``kind`` (None: of any kind)."""
    events = await upcoming_events(services)
    chosen = next((e for e in events if kind is None or e.kind == kind), None)
    if chosen is not None:
        clock.set(chosen.at + PAST_IT)
    return chosen


def forward(clock: MovableClock, minutes: int) -> None:
    """Move the clock on by ``minutes`` (at most a day at a time)."""
    step = timedelta(minutes=minutes)
    if not timedelta(0) < step <= LONGEST_JUMP:
        raise ValueError("minutes out of range")
    clock.advance(step)
