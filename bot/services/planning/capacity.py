"""A co-worker's stamina (*ork*): how many strain points a day may hold.

Support persons set it in chat (a button under the co-worker's list) or on the command
line, for every day or for one weekday ("lighter on Mondays"); every change is in the
audit trail, and the co-worker's lists that are still drafts are drafted again at once,
so the review shows the new weight straight away. What a given day holds is
``Person.capacity_on(day)``: the weekday's own stamina if set, else the usual one.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.rules.capacity import HIGHEST, LOWEST
from bot.services.errors import OrganisationError
from bot.services.planning import drafting
from bot.services.privacy import audit
from storage.models import Person
from storage.repos import drafting as repo

WEEKDAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # in the audit trail


async def set_capacity(
    services: Services,
    session: AsyncSession,
    coworker: Person,
    points: int,
    *,
    actor: Person | None = None,
) -> int:
    """Set ``coworker``'s stamina and redraft their drafts from today; the old value."""
    if not LOWEST <= points <= HIGHEST:
        raise OrganisationError("capacity.out_of_range", low=LOWEST, high=HIGHEST)
    before = coworker.capacity
    if points == before:
        return before
    coworker.capacity = points
    await _record_and_redraft(
        services, session, coworker, actor, "plan.capacity", f"{before} -> {points}"
    )
    return before


async def set_weekday_capacity(
    services: Services,
    session: AsyncSession,
    coworker: Person,
    weekday: int,
    points: int | None,
    *,
    actor: Person | None = None,
) -> int | None:
    """Set ``coworker``'s stamina on one weekday (0 is Monday), or with None let that
    weekday follow the usual stamina again; redraft their drafts from today. The old
    value (None: it followed the usual one)."""
    if not 0 <= weekday < len(WEEKDAY_CODES):
        raise OrganisationError("capacity.bad_weekday", day=weekday)
    if points is not None and not LOWEST <= points <= HIGHEST:
        raise OrganisationError("capacity.out_of_range", low=LOWEST, high=HIGHEST)
    days = list(coworker.weekday_capacity or ())
    days += [None] * (len(WEEKDAY_CODES) - len(days))
    before = days[weekday]
    if points == before:
        return before
    days[weekday] = points
    # A new list, so the JSON column sees the change; None when no weekday has its own.
    coworker.weekday_capacity = days if any(d is not None for d in days) else None
    detail = f"{WEEKDAY_CODES[weekday]}: {before or 'usual'} -> {points or 'usual'}"
    await _record_and_redraft(services, session, coworker, actor, "plan.capacity_weekday", detail)
    return before


async def _record_and_redraft(
    services: Services,
    session: AsyncSession,
    coworker: Person,
    actor: Person | None,
    action: str,
    detail: str,
) -> None:
    """Audit a change of stamina and redraft the co-worker's drafts from today, so the
    review shows the new weight at once."""
    await audit.record(
        services, session, actor=actor, subject=coworker, action=action, detail=detail
    )
    for day in await repo.draft_days_from(session, coworker.id, services.today()):
        await drafting.draft_day(services, session, coworker, day)
