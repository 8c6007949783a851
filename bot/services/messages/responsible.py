"""Who is responsible for a co-worker *now*, for what is addressed "to the contact person".

The routing service's choice (on duty: the primary, the secondary, then the group's
staff) when somebody is on duty and on Telegram. Outside every shift (a review in the
evening, a list held early in the morning) the first who is not away: the primary,
the secondary, then the group's staff by id. Only when everyone is away, the first
of them anyway, so that somebody is told. None: there is nobody to tell at all.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.rules.responsible import Contacts
from bot.services.messages import routing
from bot.services.messages.recipients import reachable
from storage.models import Person, Role
from storage.repos import organisation as org_repo
from storage.repos import rota as rota_repo


def may_be_told(person: Person) -> bool:
    return (
        person.role is not Role.COWORKER
        and person.active
        and not person.unreachable
        and reachable(person)
    )


async def responsible_now(
    services: Services, session: AsyncSession, coworker: Person, now: datetime
) -> Person | None:
    route = await routing.route(services, session, coworker.id, now)
    if route.recipient is not None and reachable(route.recipient):
        return route.recipient
    candidates = [p for p in await contacts_then_staff(session, coworker) if may_be_told(p)]
    away = await away_ids(session, [p.id for p in candidates], now)
    for person in candidates:
        if person.id not in away:
            return person
    return candidates[0] if candidates else None


async def contacts_then_staff(session: AsyncSession, coworker: Person) -> list[Person]:
    """The co-worker's primary and secondary contact persons, then their group's staff."""
    contacts = await org_repo.contacts_of(session, coworker.id)
    ids = [i for i in ((contacts.primary_id, contacts.secondary_id) if contacts else ()) if i]
    found = {p.id: p for p in await rota_repo.persons(session, ids)}
    ordered = [found[i] for i in ids if i in found]
    if coworker.group_id is not None:
        ordered += [
            p for p in await rota_repo.staff_of(session, coworker.group_id) if p.id not in ids
        ]
    return ordered


async def away_ids(session: AsyncSession, person_ids: list[int], at: datetime) -> set[int]:
    absences = await rota_repo.absences_of(session, person_ids, at, at + timedelta(seconds=1))
    return {a.person_id for a in absences}


async def contacts_of(
    services: Services, session: AsyncSession, coworker: Person, now: datetime
) -> Contacts:
    contacts = await org_repo.contacts_of(session, coworker.id)
    primary = await session.get(Person, contacts.primary_id) if contacts else None
    secondary = await session.get(Person, contacts.secondary_id) if contacts else None
    route = await routing.route(services, session, coworker.id, now)
    return Contacts(primary, secondary, route.recipient)
