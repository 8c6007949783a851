"""What a co-worker signals reaches staff: a heavy day (the evening check-in) and the
reason given for "not today" go, as a short note (not an alarm), to the member of staff
responsible now (:func:`bot.services.messages.recipients.who_hears`); when nobody is on duty, it
waits in the outbox for whoever comes on duty first, and then says the day. The same
signals, and reminders left unanswered, are shown in ``/team`` and the daily summary
(:mod:`bot.services.people.team`). Each note is audited: who was told about whom.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.i18n import Texts
from bot.outbox.queue import queue
from bot.services.day.tasks import Outcome, TaskResult
from bot.services.messages.recipients import who_hears
from bot.services.privacy import audit
from bot.telegram.rendered import Rendered
from bot.views import signals as views
from storage.models import Person

log = logging.getLogger(__name__)

KIND = "signal"

RenderFor = Callable[[Texts, datetime], Rendered]


async def heavy_day(services: Services, session: AsyncSession, coworker: Person) -> None:
    """The co-worker answered "😞 Tung dag"."""
    now = services.now()

    def render(t: Texts, at: datetime) -> Rendered:
        return views.heavy_day(t, coworker, now, services.zone, at.astimezone(services.zone).date())

    key = f"signal:heavy:{coworker.id}:{services.today().isoformat()}"
    await _tell(services, session, coworker, key, "heavy_day", render)


async def after_not_today(
    services: Services, session: AsyncSession, coworker: Person, result: TaskResult
) -> None:
    """The co-worker gave a reason for "not today" (pressing "rather not say" tells
    nobody: it is their choice)."""
    task = result.task
    if result.outcome is not Outcome.OK or task is None or task.not_today_reason is None:
        return
    now, reason, title = services.now(), task.not_today_reason, task.template.title

    def render(t: Texts, at: datetime) -> Rendered:
        shown_on = at.astimezone(services.zone).date()
        return views.not_today(t, coworker, title, reason, now, services.zone, shown_on)

    await _tell(services, session, coworker, f"signal:not_today:{task.id}", "not_today", render)


async def _tell(
    services: Services,
    session: AsyncSession,
    coworker: Person,
    key: str,
    what: str,
    render: RenderFor,
) -> None:
    now = services.now()
    hearer = await who_hears(services, session, coworker, now)
    staff = hearer.person
    if staff is None or staff.telegram_user_id is None:
        log.info("signal %s of co-worker %s: no member of staff to tell", what, coworker.id)
        return  # still shown in /team and the daily summary
    at = hearer.at or now
    added = await queue(
        services,
        session,
        staff,
        render(Texts(staff.language), at),
        key=key,
        kind=KIND,
        not_before=at,  # someone not on duty yet reads it when they come on duty
    )
    if added:
        await audit.record(
            services, session, actor=staff, subject=coworker, action=f"signal.{what}"
        )
