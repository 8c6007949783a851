"""Who owns a co-worker's conversation now.

The member of staff who took the co-worker's last call for help (or red check-in) owns
it for the rest of that shift (per the rota); the one who answered the co-worker last
owns it for ``THREAD_HOURS`` while on duty. The later of the two counts. Nobody owns it:
the routing rules decide (:mod:`bot.services.messages.recipients`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.rules.duty import is_on_duty, shift_end
from bot.rules.working_days import SWEDISH_HOLIDAYS
from bot.services.messages import routing
from bot.services.messages.recipients import reachable
from storage.models import Person
from storage.repos import help_requests as help_repo
from storage.repos import messages as messages_repo

THREAD_HOURS = 12


async def owner(
    services: Services, session: AsyncSession, coworker: Person, now: datetime
) -> Person | None:
    """The member of staff who owns the conversation at ``now``, if anyone."""
    found = [
        o
        for o in (
            await _call_taker(services, session, coworker, now),
            await _last_answerer(services, session, coworker, now),
        )
        if o is not None
    ]
    return max(found, key=lambda pair: pair[1])[0] if found else None


async def _call_taker(
    services: Services, session: AsyncSession, coworker: Person, now: datetime
) -> tuple[Person, datetime] | None:
    request = await help_repo.last_taken(session, coworker.id)
    if request is None or request.acknowledged_at is None or request.acknowledged_by_id is None:
        return None
    staff = await _available(session, request.acknowledged_by_id)
    taken_at = request.acknowledged_at
    if staff is None or taken_at > now:
        return None
    rotas = await routing.load_rotas(session, [staff.id], taken_at, now + timedelta(seconds=1))
    rota, zone = rotas[staff.id], services.zone
    end = shift_end(rota, taken_at, zone, SWEDISH_HOLIDAYS)
    if end is None or now >= end or not is_on_duty(rota, now, zone, SWEDISH_HOLIDAYS):
        return None
    return staff, taken_at


async def _last_answerer(
    services: Services, session: AsyncSession, coworker: Person, now: datetime
) -> tuple[Person, datetime] | None:
    last = await messages_repo.last_answer(
        session, coworker.id, now - timedelta(hours=THREAD_HOURS)
    )
    if last is None or last.staff_id is None:
        return None
    staff = await _available(session, last.staff_id)
    if staff is None or not await routing.on_duty(services, session, staff.id, now):
        return None
    return staff, last.created_at


async def _available(session: AsyncSession, staff_id: int) -> Person | None:
    staff = await session.get(Person, staff_id)
    if staff is None or not routing.may_be_chosen(staff) or not reachable(staff):
        return None
    return staff
