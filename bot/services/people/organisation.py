"""Setting up the organisation: finding people and groups, groups and their staff.

The list of everyone and (de)activating a person are in ``everyone``.

Every function takes ``services, session`` and raises :class:`OrganisationError`
when the input is wrong; its ``key`` is a catalogue key for one line to show.
People and groups are named by display name (any case) or by ``#id``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.rules.groups import GroupOverview
from bot.services.errors import OrganisationError
from bot.services.privacy import audit
from storage.models import Group, Person, Role
from storage.repos import organisation as org_repo
from storage.repos import rota as rota_repo

NAME_LENGTH = 120
PHONE_LENGTH = 40


# --- finding people and groups ------------------------------------------------------


def ref_id(ref: str) -> int | None:
    """The id in a reference written ``#12``; None for a name."""
    match = re.fullmatch(r"#(\d{1,18})", ref)
    return int(match.group(1)) if match else None


async def find_person(session: AsyncSession, ref: str) -> Person:
    """The person named ``ref`` (case-insensitive) or ``#id``; ambiguity is an error."""
    ref = ref.strip()
    number = ref_id(ref)
    if number is not None:
        person = await session.get(Person, number)
        if person is None:
            raise OrganisationError("org.unknown_person", ref=ref)
        return person
    found = await org_repo.persons_named(session, ref)
    if not found:
        raise OrganisationError("org.unknown_person", ref=ref)
    if len(found) > 1:
        ids = ", ".join(f"#{p.id}" for p in found)
        raise OrganisationError("org.ambiguous_person", name=ref, ids=ids)
    return found[0]


async def find_group(session: AsyncSession, ref: str) -> Group:
    ref = ref.strip()
    number = ref_id(ref)
    group = (
        await session.get(Group, number)
        if number is not None
        else await org_repo.group_named(session, ref)
    )
    if group is None:
        raise OrganisationError("org.unknown_group", ref=ref)
    return group


def _require(person: Person, role: Role) -> Person:
    if person.role is not role:
        key = "org.not_support" if role is Role.SUPPORT else "org.not_coworker"
        raise OrganisationError(key, name=person.display_name)
    return person


async def find_support(session: AsyncSession, ref: str) -> Person:
    return _require(await find_person(session, ref), Role.SUPPORT)


async def find_coworker(session: AsyncSession, ref: str) -> Person:
    return _require(await find_person(session, ref), Role.COWORKER)


# --- groups ---------------------------------------------------------------------------


async def create_group(
    services: Services, session: AsyncSession, name: str, phone: str | None = None
) -> Group:
    name = name.strip()
    phone = phone.strip() if phone else None
    if not name or len(name) > NAME_LENGTH or ref_id(name) is not None:
        raise OrganisationError("org.bad_group_name")
    if phone is not None and len(phone) > PHONE_LENGTH:
        raise OrganisationError("org.bad_phone")
    if await org_repo.group_named(session, name) is not None:
        raise OrganisationError("org.group_exists", name=name)
    return await org_repo.add_group(session, name, phone or None, services.now())


async def list_groups(services: Services, session: AsyncSession) -> list[GroupOverview]:
    return [
        GroupOverview(
            group,
            await rota_repo.staff_of(session, group.id),
            await org_repo.coworkers_of(session, group.id),
        )
        for group in await org_repo.all_groups(session)
    ]


async def add_staff(
    services: Services,
    session: AsyncSession,
    group_ref: str,
    person_ref: str,
    *,
    actor: Person | None = None,
) -> tuple[Group, Person]:
    group = await find_group(session, group_ref)
    person = await find_support(session, person_ref)
    if await org_repo.is_staff(session, group.id, person.id):
        raise OrganisationError("org.already_staff", name=person.display_name, group=group.name)
    await org_repo.add_staff(session, group.id, person.id)
    await audit.record(
        services,
        session,
        actor=actor,
        subject=person,
        action="group.add_staff",
        detail=group.name,
    )
    return group, person


async def overview(session: AsyncSession, group_id: int) -> GroupOverview:
    group = await find_group(session, f"#{group_id}")
    return GroupOverview(
        group,
        await rota_repo.staff_of(session, group.id),
        await org_repo.coworkers_of(session, group.id),
    )


async def staff_to_add(session: AsyncSession, group_id: int) -> list[Person]:
    """Active support persons who are not yet staff of the group."""
    present = {p.id for p in await rota_repo.staff_of(session, group_id)}
    return [
        p
        for p in await org_repo.all_persons(session)
        if p.role is Role.SUPPORT and p.active and p.id not in present
    ]


async def coworkers_to_move(
    session: AsyncSession, group_id: int, groups_allowed: list[Group]
) -> list[Person]:
    """Co-workers of the other groups the asking staff member may manage."""
    movable: list[Person] = []
    for group in groups_allowed:
        if group.id != group_id:
            movable += await org_repo.coworkers_of(session, group.id)
    return movable


async def remove_staff(
    services: Services, session: AsyncSession, group_ref: str, person_ref: str
) -> tuple[Group, Person]:
    """Take a support person off a group's staff, unless they are still someone's contact."""
    group = await find_group(session, group_ref)
    person = await find_person(session, person_ref)
    if not await org_repo.is_staff(session, group.id, person.id):
        raise OrganisationError("org.not_staff", name=person.display_name, group=group.name)
    still = await org_repo.coworkers_with_contact(session, person.id, group.id)
    if still:
        raise OrganisationError(
            "org.still_contact",
            name=person.display_name,
            group=group.name,
            coworkers=", ".join(c.display_name for c in still),
        )
    await org_repo.remove_staff(session, group.id, person.id)
    return group, person


@dataclass(frozen=True)
class Moved:
    coworker: Person
    group: Group
    contacts_cleared: bool


async def move_coworker(
    services: Services,
    session: AsyncSession,
    coworker_ref: str,
    group_ref: str,
    *,
    actor: Person | None = None,
) -> Moved:
    """Put a co-worker in a group; contact persons who do not work there are cleared."""
    coworker = await find_coworker(session, coworker_ref)
    group = await find_group(session, group_ref)
    if coworker.group_id == group.id:
        raise OrganisationError(
            "org.already_in_group", name=coworker.display_name, group=group.name
        )
    coworker.group_id = group.id
    contacts = await org_repo.contacts_of(session, coworker.id)
    cleared = False
    if contacts is not None:
        staying = [
            await org_repo.is_staff(session, group.id, pid)
            for pid in (contacts.primary_id, contacts.secondary_id)
        ]
        if not all(staying):
            await org_repo.clear_contacts(session, coworker.id)
            cleared = True
    await audit.record(
        services, session, actor=actor, subject=coworker, action="group.move", detail=group.name
    )
    await session.flush()
    return Moved(coworker, group, cleared)


DRAFT_POLICIES = {"send": True, "wait": False}  # policy -> Group.send_unapproved_drafts


async def set_draft_policy(
    services: Services,
    session: AsyncSession,
    group_ref: str,
    policy: str,
    *,
    actor: Person | None = None,
) -> Group:
    """Whether the group's lists go out in the morning as drafted (``send``) or wait
    until someone approves them (``wait``); audited."""
    group = await find_group(session, group_ref)
    wanted = policy.strip().casefold()
    if wanted not in DRAFT_POLICIES:
        raise OrganisationError("org.bad_draft_policy", value=policy.strip())
    group.send_unapproved_drafts = DRAFT_POLICIES[wanted]
    await audit.record(
        services,
        session,
        actor=actor,
        subject=None,
        action="group.draft_policy",
        detail=f"{group.name}: {wanted}",
    )
    return group
