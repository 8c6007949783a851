"""Queries about the duty rota: shifts, absences, contact persons and group staff."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Absence, DutyShift, GroupStaff, Person


async def persons(session: AsyncSession, ids: Sequence[int]) -> list[Person]:
    if not ids:
        return []
    return list(await session.scalars(select(Person).where(Person.id.in_(ids)).order_by(Person.id)))


async def staff_of(session: AsyncSession, group_id: int) -> list[Person]:
    """The group's staff, lowest id first."""
    return list(
        await session.scalars(
            select(Person)
            .join(GroupStaff, GroupStaff.person_id == Person.id)
            .where(GroupStaff.group_id == group_id)
            .order_by(Person.id)
        )
    )


async def shifts_of(session: AsyncSession, person_ids: Sequence[int]) -> list[DutyShift]:
    if not person_ids:
        return []
    return list(
        await session.scalars(
            select(DutyShift)
            .where(DutyShift.person_id.in_(person_ids))
            .order_by(DutyShift.person_id, DutyShift.weekday, DutyShift.start_time)
        )
    )


async def absences_of(
    session: AsyncSession, person_ids: Sequence[int], start: datetime, end: datetime
) -> list[Absence]:
    """Absences of these people that overlap ``[start, end)``, earliest first."""
    if not person_ids:
        return []
    return list(
        await session.scalars(
            select(Absence)
            .where(
                Absence.person_id.in_(person_ids),
                Absence.starts_at < end,
                Absence.ends_at > start,
            )
            .order_by(Absence.starts_at, Absence.id)
        )
    )


async def absences_from(session: AsyncSession, person_id: int, since: datetime) -> list[Absence]:
    """The person's absences that have not ended by ``since``, earliest first."""
    return list(
        await session.scalars(
            select(Absence)
            .where(Absence.person_id == person_id, Absence.ends_at > since)
            .order_by(Absence.starts_at, Absence.id)
        )
    )


async def replace_shifts(
    session: AsyncSession, person_id: int, shifts: Sequence[DutyShift]
) -> None:
    await session.execute(delete(DutyShift).where(DutyShift.person_id == person_id))
    session.add_all(shifts)
    await session.flush()


async def add_shifts(session: AsyncSession, shifts: Sequence[DutyShift]) -> None:
    session.add_all(shifts)
    await session.flush()


async def add_absence(session: AsyncSession, absence: Absence) -> Absence:
    session.add(absence)
    await session.flush()
    return absence


async def end_absences(session: AsyncSession, person_id: int, now: datetime) -> int:
    """End every absence covering ``now`` at ``now`` (one that starts now is removed)."""
    covering = list(
        await session.scalars(
            select(Absence).where(
                Absence.person_id == person_id, Absence.starts_at <= now, Absence.ends_at > now
            )
        )
    )
    for absence in covering:
        if absence.starts_at < now:
            absence.ends_at = now
        else:
            await session.delete(absence)
    await session.flush()
    return len(covering)
