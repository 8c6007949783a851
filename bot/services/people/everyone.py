"""Everyone in the organisation: the list of people with their groups, and deactivating
or reactivating a person (audited). People are named as in ``organisation``."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.services.errors import OrganisationError
from bot.services.people.organisation import find_person
from bot.services.privacy import audit
from storage.models import Group, Person
from storage.repos import organisation as org_repo


@dataclass(frozen=True)
class PersonRow:
    person: Person
    groups: list[Group] = field(default_factory=list)  # a co-worker's group, or staffed groups

    @property
    def joined(self) -> bool:
        return self.person.telegram_user_id is not None


async def list_people(services: Services, session: AsyncSession) -> list[PersonRow]:
    groups = {g.id: g for g in await org_repo.all_groups(session)}
    staffed: dict[int, list[Group]] = {}
    for link in await org_repo.staff_links(session):
        staffed.setdefault(link.person_id, []).append(groups[link.group_id])
    rows = []
    for person in await org_repo.all_persons(session):
        mine = list(staffed.get(person.id, []))
        if person.group_id is not None and groups[person.group_id] not in mine:
            mine.insert(0, groups[person.group_id])
        rows.append(PersonRow(person, sorted(mine, key=lambda g: g.name)))
    return rows


async def set_active(
    services: Services,
    session: AsyncSession,
    person_ref: str,
    active: bool,
    *,
    actor: Person | None = None,
) -> Person:
    """Deactivate (no access at all, no messages) or reactivate a person."""
    person = await find_person(session, person_ref)
    if person.active is active:
        key = "org.already_active" if active else "org.already_inactive"
        raise OrganisationError(key, name=person.display_name)
    person.active = active
    action = "person.activate" if active else "person.deactivate"
    await audit.record(services, session, actor=actor, subject=person, action=action)
    return person
