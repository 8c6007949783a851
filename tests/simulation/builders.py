"""People of a simulated group as staff would set them up: support persons with their
weekly shifts, co-workers with their two contact persons. Shared by the safety-net
simulation (tests/simulation/world.py) and the continuity simulation
(benchmarks/continuity/)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from storage.models import DutyShift, Group, Person, Role
from storage.repos import organisation as org_repo
from storage.repos import people as people_repo
from storage.repos import rota as rota_repo


async def add_staff(
    services: Services,
    session: AsyncSession,
    name: str,
    group: Group,
    telegram_user_id: int,
    shifts: Sequence[tuple[int, time, time]] = (),
) -> Person:
    """A support person of ``group`` on Telegram, with weekly ``shifts`` (weekday, start, end)."""
    staff = await people_repo.add_person(
        session,
        name=name,
        role=Role.SUPPORT,
        now=services.now(),
        group=group,
        telegram_user_id=telegram_user_id,
    )
    rows = [
        DutyShift(person_id=staff.id, weekday=day, start_time=start, end_time=end)
        for day, start, end in shifts
    ]
    await rota_repo.add_shifts(session, rows)
    return staff


async def add_coworker(
    services: Services,
    session: AsyncSession,
    name: str,
    group: Group,
    telegram_user_id: int,
    contact_persons: tuple[int, int],
) -> Person:
    """A co-worker of ``group`` on Telegram, with (primary, secondary) contact persons."""
    coworker = await people_repo.add_person(
        session,
        name=name,
        role=Role.COWORKER,
        now=services.now(),
        group=group,
        telegram_user_id=telegram_user_id,
    )
    await org_repo.set_contacts(session, coworker.id, *contact_persons)
    return coworker
