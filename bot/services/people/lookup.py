"""Finding people and groups for the doors: who is behind a Telegram account, a person by
id, the groups a member of staff looks after."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Group, Person
from storage.repos import people as people_repo


async def by_telegram_id(session: AsyncSession, telegram_user_id: int) -> Person | None:
    """The person (active or not) whose Telegram account this is."""
    return await people_repo.by_telegram_id(session, telegram_user_id)


async def person(session: AsyncSession, person_id: int) -> Person | None:
    return await session.get(Person, person_id)


async def groups_for(session: AsyncSession, person: Person) -> list[Group]:
    """The groups a person may invite into and look after: every group for an admin,
    else their own."""
    return await people_repo.groups_for(session, person)


async def display_names(session: AsyncSession, person_ids: list[int]) -> list[str]:
    """The display names of these people, in the order of ``person_ids``."""
    names = await people_repo.display_names(session, person_ids)
    return [names[person_id] for person_id in person_ids]
