"""A group's responsible admin: who hears, last, of a red check-in nobody on duty took.

Set on the command line (``vardag group responsible``); when none is set (or they can
no longer be reached), the admins hear instead (:func:`storage.repos.help_requests.
responsible_admins`)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.services.errors import OrganisationError
from bot.services.people.organisation import find_group, find_person
from bot.services.privacy import audit
from storage.models import Group, Person, Role


async def set_responsible(
    services: Services, session: AsyncSession, group_ref: str, admin_ref: str | None
) -> tuple[Group, Person | None]:
    """Make ``admin_ref`` (an admin) the group's responsible admin; None clears it."""
    group = await find_group(session, group_ref)
    admin = None
    if admin_ref is not None:
        admin = await find_person(session, admin_ref)
        if admin.role is not Role.ADMIN:
            raise OrganisationError("org.not_admin", name=admin.display_name)
    group.responsible_admin_id = admin.id if admin else None
    await audit.record(
        services,
        session,
        actor=None,
        subject=admin,
        action="group.responsible_admin",
        detail=f"group {group.id}",
    )
    return group, admin


async def responsible_of(session: AsyncSession, group: Group) -> Person | None:
    if group.responsible_admin_id is None:
        return None
    return await session.get(Person, group.responsible_admin_id)
