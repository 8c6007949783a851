"""Queries about the organisation: groups, their staff and co-workers, contact persons."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ContactPersons, Group, GroupStaff, Person, Role
from storage.repos import first


async def all_groups(session: AsyncSession) -> list[Group]:
    return list(await session.scalars(select(Group).order_by(Group.name, Group.id)))


async def all_persons(session: AsyncSession) -> list[Person]:
    return list(await session.scalars(select(Person).order_by(Person.id)))


async def add_group(session: AsyncSession, name: str, phone: str | None, now: datetime) -> Group:
    group = Group(name=name, phone=phone, created_at=now)
    session.add(group)
    await session.flush()
    return group


async def coworkers_of(session: AsyncSession, group_id: int) -> list[Person]:
    return list(
        await session.scalars(
            select(Person)
            .where(Person.group_id == group_id, Person.role == Role.COWORKER)
            .order_by(Person.id)
        )
    )


async def staff_links(session: AsyncSession) -> list[GroupStaff]:
    return list(await session.scalars(select(GroupStaff)))


async def is_staff(session: AsyncSession, group_id: int, person_id: int) -> bool:
    found = await first(
        session,
        select(GroupStaff).where(
            GroupStaff.group_id == group_id, GroupStaff.person_id == person_id
        ),
    )
    return found is not None


async def add_staff(session: AsyncSession, group_id: int, person_id: int) -> None:
    session.add(GroupStaff(group_id=group_id, person_id=person_id))
    await session.flush()


async def remove_staff(session: AsyncSession, group_id: int, person_id: int) -> None:
    await session.execute(
        delete(GroupStaff).where(GroupStaff.group_id == group_id, GroupStaff.person_id == person_id)
    )


async def coworkers_with_contact(
    session: AsyncSession, person_id: int, group_id: int
) -> list[Person]:
    """Co-workers of the group who have ``person_id`` as a contact person."""
    return list(
        await session.scalars(
            select(Person)
            .join(ContactPersons, ContactPersons.coworker_id == Person.id)
            .where(
                Person.group_id == group_id,
                or_(
                    ContactPersons.primary_id == person_id,
                    ContactPersons.secondary_id == person_id,
                ),
            )
            .order_by(Person.id)
        )
    )


async def contacts_of(session: AsyncSession, coworker_id: int) -> ContactPersons | None:
    return await first(
        session, select(ContactPersons).where(ContactPersons.coworker_id == coworker_id)
    )


async def set_contacts(
    session: AsyncSession, coworker_id: int, primary_id: int, secondary_id: int
) -> ContactPersons:
    contacts = await contacts_of(session, coworker_id)
    if contacts is None:
        contacts = ContactPersons(coworker_id=coworker_id)
        session.add(contacts)
    contacts.primary_id = primary_id
    contacts.secondary_id = secondary_id
    await session.flush()
    return contacts


async def clear_contacts(session: AsyncSession, coworker_id: int) -> None:
    await session.execute(delete(ContactPersons).where(ContactPersons.coworker_id == coworker_id))


async def persons_named(session: AsyncSession, name: str) -> list[Person]:
    """People whose display name is ``name``, ignoring case (Å and å too, which SQLite's
    ``lower`` does not know), lowest id first."""
    wanted = name.casefold()
    return [p for p in await all_persons(session) if p.display_name.casefold() == wanted]


async def group_named(session: AsyncSession, name: str) -> Group | None:
    wanted = name.casefold()
    return next((g for g in await all_groups(session) if g.name.casefold() == wanted), None)


async def with_contacts(session: AsyncSession, coworker_ids: list[int]) -> set[int]:
    """Those of the co-workers who have contact persons."""
    if not coworker_ids:
        return set()
    found = await session.scalars(
        select(ContactPersons.coworker_id).where(ContactPersons.coworker_id.in_(coworker_ids))
    )
    return set(found)
