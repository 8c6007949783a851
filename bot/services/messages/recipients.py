"""Who hears a co-worker now (a message, a call for help), and when.

The member of staff :func:`bot.services.messages.routing.route` names now; when nobody is on
duty, whoever comes on duty first (within the routing horizon), at that moment; when
there is nobody to write to either way (no rota, or whoever is on duty has not joined
on Telegram), the co-worker's contact person at once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.rules.hearer import Hearer
from bot.services.messages import routing
from storage.models import Person
from storage.repos import organisation as org_repo
from storage.repos import rota as rota_repo


def reachable(person: Person | None) -> bool:
    """Whether the bot can write to this member of staff (they have joined on Telegram)."""
    return person is not None and person.telegram_user_id is not None


async def who_hears(
    services: Services, session: AsyncSession, coworker: Person, now: datetime
) -> Hearer:
    route = await routing.route(services, session, coworker.id, now)
    if reachable(route.recipient):
        return Hearer(route.recipient, None, True)
    if route.recipient is None and route.next_on_duty is not None:
        later = await routing.route(services, session, coworker.id, route.next_on_duty)
        if reachable(later.recipient):
            return Hearer(later.recipient, route.next_on_duty, False)
    contact = await contact_person(session, coworker)
    if contact is None:
        return Hearer(None)
    return Hearer(contact, None, await routing.on_duty(services, session, contact.id, now))


async def contact_person(session: AsyncSession, coworker: Person) -> Person | None:
    """The first of the co-worker's contact persons the bot can write to, if any."""
    contacts = await org_repo.contacts_of(session, coworker.id)
    if contacts is None:
        return None
    ids = [contacts.primary_id, contacts.secondary_id]
    candidates = {p.id: p for p in await rota_repo.persons(session, ids)}
    for person_id in ids:
        candidate = candidates.get(person_id)
        if candidate is not None and routing.may_be_chosen(candidate) and reachable(candidate):
            return candidate
    return None
