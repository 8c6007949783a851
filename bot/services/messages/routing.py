"""Who should hear from a co-worker now: the contact person on duty (the Umeå model).

The primary contact person if on duty, else the secondary, else another support
person of the co-worker's group who is on duty (lowest id), else nobody — and
then, when somebody comes on duty next.

The rules are pure functions over a rota (:mod:`bot.rules.duty`); the days off are
:mod:`bot.rules.working_days`. Here rotas are loaded from the database and the rules
applied to them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.rules.duty import HORIZON, Reason, Rota, Shift, decide, is_on_duty, next_on_duty
from bot.rules.working_days import SWEDISH_HOLIDAYS
from storage.models import Person, Role
from storage.repos import organisation as org_repo
from storage.repos import rota as rota_repo


@dataclass(frozen=True)
class Route:
    recipient: Person | None
    reason: Reason
    next_on_duty: datetime | None = None


def may_be_on_duty(person: Person) -> bool:
    return person.role is Role.SUPPORT and person.active


def may_be_chosen(person: Person) -> bool:
    return may_be_on_duty(person) and not person.unreachable


async def load_rotas(
    session: AsyncSession, person_ids: Iterable[int], start: datetime, end: datetime
) -> dict[int, Rota]:
    """Each person's shifts, and the absences that touch ``[start, end)``."""
    ids = sorted(set(person_ids))
    shifts = await rota_repo.shifts_of(session, ids)
    absences = await rota_repo.absences_of(session, ids, start, end)
    return {
        person_id: Rota(
            tuple(
                Shift(s.weekday, s.start_time, s.end_time)
                for s in shifts
                if s.person_id == person_id
            ),
            tuple((a.starts_at, a.ends_at) for a in absences if a.person_id == person_id),
        )
        for person_id in ids
    }


async def on_duty(services: Services, session: AsyncSession, person_id: int, at: datetime) -> bool:
    """Whether the person is an active support person on a shift at UTC moment ``at``."""
    person = await session.get(Person, person_id)
    return person is not None and bool(await on_duty_among(services, session, [person], at))


async def on_duty_among(
    services: Services, session: AsyncSession, persons: Sequence[Person], at: datetime
) -> list[Person]:
    """Those of ``persons`` (active support persons only) on duty at ``at``, by id."""
    eligible = sorted((p for p in persons if may_be_on_duty(p)), key=lambda p: p.id)
    rotas = await load_rotas(session, [p.id for p in eligible], at, at + timedelta(seconds=1))
    return [p for p in eligible if is_on_duty(rotas[p.id], at, services.zone, SWEDISH_HOLIDAYS)]


async def next_on_duty_among(
    services: Services,
    session: AsyncSession,
    persons: Sequence[Person],
    at: datetime,
    horizon: timedelta = HORIZON,
) -> datetime | None:
    """When the first of ``persons`` (active and reachable) is on duty, within ``horizon``."""
    eligible = [p for p in persons if may_be_chosen(p)]
    rotas = await load_rotas(session, [p.id for p in eligible], at, at + horizon)
    nexts = [
        next_on_duty(rotas[p.id], at, services.zone, SWEDISH_HOLIDAYS, horizon) for p in eligible
    ]
    return min((n for n in nexts if n is not None), default=None)


async def route(services: Services, session: AsyncSession, coworker_id: int, at: datetime) -> Route:
    """Who should hear from the co-worker at ``at`` (see the module's docstring).

    When nobody is on duty, ``next_on_duty`` is the first moment within 14 days
    that any of them (contact persons or the group's staff) is.
    """
    coworker = await session.get(Person, coworker_id)
    if coworker is None:
        return Route(None, Reason.NOBODY)
    contacts = await org_repo.contacts_of(session, coworker_id)
    contact_ids = [contacts.primary_id, contacts.secondary_id] if contacts else []
    staff = await rota_repo.staff_of(session, coworker.group_id) if coworker.group_id else []
    people = {p.id: p for p in await rota_repo.persons(session, contact_ids)}
    people.update((p.id, p) for p in staff)
    chosen = {pid: p for pid, p in people.items() if may_be_chosen(p)}
    rotas = await load_rotas(session, chosen, at, at + HORIZON)

    def candidate(person_id: int | None) -> tuple[int, Rota] | None:
        return (person_id, rotas[person_id]) if person_id in chosen else None

    decision = decide(
        candidate(contacts.primary_id if contacts else None),
        candidate(contacts.secondary_id if contacts else None),
        [(p.id, rotas[p.id]) for p in staff if p.id in chosen and p.id not in contact_ids],
        at,
        services.zone,
        SWEDISH_HOLIDAYS,
    )
    recipient = chosen[decision.person_id] if decision.person_id is not None else None
    return Route(recipient, decision.reason, decision.next_on_duty)
