"""Whether Vardag can reach a person, and telling their contact persons when that changes."""

from __future__ import annotations

from markupsafe import escape
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.i18n import Texts
from bot.outbox.queue import queue
from bot.telegram.rendered import Rendered
from storage.models import Person, Role
from storage.repos import people as people_repo

KIND = "reachability"


async def blocked_the_bot(services: Services, session: AsyncSession, person: Person) -> None:
    """The outbox's hook when Telegram says the person blocked the bot (403)."""
    await set_reachable(services, session, person, False)


async def set_reachable(
    services: Services, session: AsyncSession, person: Person, reachable: bool
) -> bool:
    """Record it; if it changed for a co-worker, queue a note to their contact persons."""
    if person.unreachable is not reachable:
        return False
    person.unreachable = not reachable
    if person.role is Role.COWORKER:
        await _tell_contacts(services, session, person, reachable)
    return True


async def _tell_contacts(
    services: Services, session: AsyncSession, coworker: Person, reachable: bool
) -> None:
    now = services.now()
    key = "reach.back" if reachable else "reach.blocked"
    for staff in await people_repo.contact_persons_of(session, coworker):
        if staff.telegram_user_id is None or staff.unreachable or not staff.active:
            continue
        note = Rendered(Texts(staff.language)(key, name=escape(coworker.display_name)))
        await queue(
            services,
            session,
            staff,
            note,
            key=f"{KIND}:{coworker.id}:{staff.id}:{now.isoformat()}",
            kind=KIND,
            not_before=now,
        )
