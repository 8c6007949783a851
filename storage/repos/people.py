"""Queries about people and groups."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ContactPersons, Group, GroupStaff, Person, Role
from storage.repos.organisation import group_named

# Built once (it keeps its cache key): every update from a person is looked up with it.
_BY_TELEGRAM_ID = select(Person).where(Person.telegram_user_id == bindparam("telegram_user_id"))


async def by_telegram_id(session: AsyncSession, telegram_user_id: int) -> Person | None:
    found = await session.scalars(_BY_TELEGRAM_ID, {"telegram_user_id": telegram_user_id})
    return found.first()


async def get_or_create_group(session: AsyncSession, name: str, now: datetime) -> Group:
    """The group of that name in any case ("rutt 1" is "Rutt 1"), made if there is none."""
    group = await group_named(session, name)
    if group is None:
        group = Group(name=name, created_at=now)
        session.add(group)
        await session.flush()
    return group


async def add_person(
    session: AsyncSession,
    *,
    name: str,
    role: Role,
    now: datetime,
    language: str = "sv",
    group: Group | None = None,
    telegram_user_id: int | None = None,
) -> Person:
    person = Person(
        display_name=name,
        role=role,
        language=language,
        group_id=group.id if group else None,
        telegram_user_id=telegram_user_id,
        created_at=now,
    )
    session.add(person)
    await session.flush()
    if group is not None and role is Role.SUPPORT:
        session.add(GroupStaff(group_id=group.id, person_id=person.id))
    return person


async def contact_persons_of(session: AsyncSession, coworker: Person) -> list[Person]:
    """Primary and secondary contact person; the group's staff when none are set."""
    contacts = await session.get(ContactPersons, coworker.id)
    if contacts is not None:
        ids = [contacts.primary_id, contacts.secondary_id]
        found = {p.id: p for p in await session.scalars(select(Person).where(Person.id.in_(ids)))}
        return [found[i] for i in ids if i in found]
    if coworker.group_id is None:
        return []
    return list(
        await session.scalars(
            select(Person)
            .join(GroupStaff, GroupStaff.person_id == Person.id)
            .where(GroupStaff.group_id == coworker.group_id)
            .order_by(Person.id)
        )
    )


async def groups_for(session: AsyncSession, person: Person) -> list[Group]:
    """The groups a person may invite into: every group for an admin, else their own."""
    statement = select(Group).order_by(Group.name)
    if person.role is not Role.ADMIN:
        statement = statement.join(GroupStaff, GroupStaff.group_id == Group.id).where(
            GroupStaff.person_id == person.id
        )
    return list(await session.scalars(statement))


async def display_names(session: AsyncSession, person_ids: list[int]) -> dict[int, str]:
    """The display names of these people, by id, in one query."""
    if not person_ids:
        return {}
    rows = await session.execute(
        select(Person.id, Person.display_name).where(Person.id.in_(set(person_ids)))
    )
    return {person_id: name for person_id, name in rows.tuples()}
