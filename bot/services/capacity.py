"""A co-worker's stamina (*ork*): how many strain points a day may hold.

Support persons set it in chat (a button under the co-worker's list) or on the command
line; every change is in the audit trail, and the co-worker's lists that are still
drafts are drafted again at once, so the review shows the new weight straight away.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import audit, drafting
from bot.services.context import Services
from bot.services.organisation import OrganisationError
from storage.models import Person
from storage.repos import drafting as repo

LOWEST, HIGHEST = 1, 12  # what a person may choose (the column allows up to 30)


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
    await audit.record(
        services,
        session,
        actor=actor,
        subject=coworker,
        action="plan.capacity",
        detail=f"{before} -> {points}",
    )
    for day in await repo.draft_days_from(session, coworker.id, services.today()):
        await drafting.draft_day(services, session, coworker, day)
    return before
