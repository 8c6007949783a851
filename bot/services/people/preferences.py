"""A person's own settings: language and (for co-workers) the time of the morning list and
the quiet hours, when no reminders or evening messages come (what may be chosen:
:mod:`bot.rules.preferences`)."""

from __future__ import annotations

from datetime import time

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.i18n import LANGUAGES, Texts
from bot.outbox.queue import queue
from bot.rules.localtime import local_moment, within
from bot.services.errors import OrganisationError
from bot.services.privacy import audit
from bot.services.safety_net import first_list
from bot.telegram.rendered import Rendered
from storage.models import Person
from storage.repos import plans as plan_repo


async def set_language(session: AsyncSession, person_id: int, language: str) -> Person | None:
    person = await session.get(Person, person_id)
    if person is None or language not in LANGUAGES:
        return None
    person.language = language
    return person


async def set_morning_time(
    services: Services, session: AsyncSession, person_id: int, at: time
) -> Person | None:
    """Change the morning time; lists not yet sent move to the new time."""
    person = await session.get(Person, person_id)
    if person is None:
        return None
    person.morning_time = at
    for plan in await plan_repo.unsent_from(session, person.id, services.today()):
        plan.deliver_at = local_moment(plan.day, at, services.zone)
    await first_list.morning_moved(services, session, person)
    return person


async def set_quiet_hours(
    services: Services,
    session: AsyncSession,
    person: Person,
    start: time,
    end: time,
    *,
    actor: Person | None,
) -> None:
    """From ``start`` to ``end`` (over midnight if ``end`` is earlier) no reminders, summaries
    or previews come. ``actor``: who set them (the person in chat; None: the command line)."""
    if start == end:
        raise OrganisationError("quiet.same")
    person.quiet_start, person.quiet_end = start, end
    detail = f"{start:%H:%M}-{end:%H:%M}"
    await audit.record(
        services, session, actor=actor, subject=person, action="person.quiet", detail=detail
    )
    if (actor is None or actor.id != person.id) and preview_in_quiet_hours(services, person):
        await _tell_preview_lost(services, session, person)


async def _tell_preview_lost(services: Services, session: AsyncSession, person: Person) -> None:
    """Staff set quiet hours that cover the preview the co-worker was promised: the
    co-worker is told, since they did not choose it themselves."""
    if person.telegram_user_id is None:
        return
    at = services.settings.evening_preview_time
    text = Texts(person.language)("safety.preview_in_quiet", time=f"{at:%H:%M}")
    await queue(
        services,
        session,
        person,
        Rendered(text),
        key=f"preview-lost:{person.id}:{services.now().isoformat()}",
        kind="safety_note",
    )


def preview_in_quiet_hours(services: Services, person: Person) -> bool:
    """The co-worker was promised the evening preview at a time their quiet hours now
    cover: it will not come, and they are told so when they choose the hours."""
    at = services.settings.evening_preview_time
    return person.evening_preview and within(at, person.quiet_start, person.quiet_end)
