"""A co-worker's two contact persons (the Umeå model): set, shown, and chosen in chat."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.rules.contacts import Contacts
from bot.services.errors import OrganisationError
from bot.services.people.organisation import find_coworker, find_support
from bot.services.privacy import audit
from storage.models import Group, Person, Role
from storage.repos import organisation as org_repo
from storage.repos import people as people_repo
from storage.repos import rota as rota_repo


async def set_contacts(
    services: Services,
    session: AsyncSession,
    coworker_ref: str,
    primary_ref: str,
    secondary_ref: str,
    *,
    actor: Person | None = None,
) -> Contacts:
    """Both must be support persons on the staff of the co-worker's group, and different.
    ``actor`` is who made the change (None: the command line); it is audited."""
    coworker = await find_coworker(session, coworker_ref)
    primary = await find_support(session, primary_ref)
    secondary = await find_support(session, secondary_ref)
    if primary.id == secondary.id:
        raise OrganisationError("org.same_person", name=primary.display_name)
    if coworker.group_id is None:
        raise OrganisationError("org.no_group", name=coworker.display_name)
    group = await session.get(Group, coworker.group_id)
    assert group is not None
    for person in (primary, secondary):
        if not await org_repo.is_staff(session, group.id, person.id):
            raise OrganisationError("org.not_staff", name=person.display_name, group=group.name)
    await org_repo.set_contacts(session, coworker.id, primary.id, secondary.id)
    await audit.record(services, session, actor=actor, subject=coworker, action="contacts.set")
    return Contacts(coworker, primary, secondary)


async def show_contacts(
    services: Services, session: AsyncSession, coworker_ref: str, *, actor: Person | None = None
) -> Contacts:
    """The co-worker's contact persons; looking is audited as well."""
    coworker = await find_coworker(session, coworker_ref)
    await audit.record(services, session, actor=actor, subject=coworker, action="contacts.view")
    contacts = await org_repo.contacts_of(session, coworker.id)
    if contacts is None:
        return Contacts(coworker, None, None)
    primary = await session.get(Person, contacts.primary_id)
    secondary = await session.get(Person, contacts.secondary_id)
    return Contacts(coworker, primary, secondary)


async def coworkers_for(session: AsyncSession, staff: Person) -> list[Person]:
    """The co-workers whose contact persons ``staff`` may set: those of their groups."""
    coworkers: list[Person] = []
    for group in await people_repo.groups_for(session, staff):
        coworkers += await org_repo.coworkers_of(session, group.id)
    return coworkers


async def candidates_for(session: AsyncSession, coworker: Person) -> list[Person]:
    """Who can be the co-worker's contact person: the support persons of their group."""
    if coworker.group_id is None:
        return []
    return await rota_repo.staff_of(session, coworker.group_id)


async def support_of_group(session: AsyncSession, group_id: int) -> list[Person]:
    """The group's active support persons, who may be a co-worker's contact persons."""
    return [
        p
        for p in await rota_repo.staff_of(session, group_id)
        if p.role is Role.SUPPORT and p.active
    ]


async def show_for_invite(
    session: AsyncSession, coworker: Person
) -> tuple[Person | None, Person | None]:
    """The new co-worker's contact persons, as the invite shows them (unaudited: the
    staff member just chose them)."""
    contacts = await org_repo.contacts_of(session, coworker.id)
    if contacts is None:
        return None, None
    return (
        await session.get(Person, contacts.primary_id),
        await session.get(Person, contacts.secondary_id),
    )
