"""Who may act on whose plans: an admin on any co-worker, a support person on the
co-workers of their groups. Every service that changes or shows a co-worker's day asks."""

from __future__ import annotations

import enum

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Person, Role
from storage.repos import people as people_repo


class Refused(enum.Enum):
    NOT_YOURS = "not_yours"
    SENT = "sent"
    OUT_OF_RANGE = "out_of_range"
    NO_TASK = "no_task"
    UNKNOWN = "unknown"  # a button no view makes (forged)


class ReviewError(Exception):
    def __init__(self, refused: Refused) -> None:
        super().__init__(refused.value)
        self.refused = refused


async def may_manage(session: AsyncSession, staff: Person, coworker: Person) -> bool:
    if staff.role is Role.ADMIN:
        return coworker.role is Role.COWORKER
    if staff.role is not Role.SUPPORT or coworker.role is not Role.COWORKER:
        return False
    return coworker.group_id in {g.id for g in await people_repo.groups_for(session, staff)}


async def coworker_for(session: AsyncSession, staff: Person, coworker_id: int) -> Person:
    coworker = await session.get(Person, coworker_id)
    if coworker is None or not await may_manage(session, staff, coworker):
        raise ReviewError(Refused.NOT_YOURS)
    return coworker
