"""Drafting a day for every active co-worker (the evening run and the morning safety net).

Co-workers are drafted :data:`CHUNK` to a transaction: what a chunk needs is read in a
few queries and written in one flush; each co-worker's day is drafted by
:func:`~bot.services.planning.drafting.draft_run`, exactly as ``draft_day`` does alone.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date

from bot.context import Services
from bot.rules.working_days import is_day_off
from bot.services.planning.drafting import DraftRun, draft_day, draft_run
from storage.models import Person, PlanStatus
from storage.repos import drafting as repo

log = logging.getLogger(__name__)

# Co-workers drafted in one transaction by draft_all: their data is read in a few
# queries and written in one flush (a query per co-worker is what made drafting slow).
CHUNK = 500


async def draft_all(services: Services, day: date) -> int:
    """Draft ``day`` for every active co-worker, :data:`CHUNK` co-workers to a
    transaction, reading what each chunk needs in a few queries and writing it in one
    flush. Returns how many plans were made or changed.

    A chunk that fails is drafted again one co-worker at a time, so one co-worker's
    failure is logged and does not stop the others."""
    async with services.sessions() as session:
        coworker_ids = await repo.coworkers_to_draft(session)
    changed = 0
    for start in range(0, len(coworker_ids), CHUNK):
        chunk = coworker_ids[start : start + CHUNK]
        try:
            changed += await _draft_chunk(services, day, chunk)
        except Exception:
            log.exception("drafting %s for %s co-workers failed; one at a time", day, len(chunk))
            changed += await _draft_one_by_one(services, day, chunk)
    return changed


async def _draft_chunk(services: Services, day: date, coworker_ids: Sequence[int]) -> int:
    begun_by = services.today()
    changed = 0
    async with services.sessions.begin() as session:
        coworkers = await repo.active_coworkers(session, coworker_ids)
        plans = await repo.plans_on(session, [c.id for c in coworkers], day)
        open_ = [
            c for c in coworkers if c.id not in plans or plans[c.id].status is PlanStatus.DRAFT
        ]
        known = await repo.known_for(
            session, [c.id for c in open_], day, begun_by, carry=not is_day_off(day)
        )
        for coworker in open_:
            run = DraftRun(services, session, coworker, day, begun_by, known[coworker.id])
            result = await draft_run(run, plans.get(coworker.id))
            changed += result.changed
        await repo.number_new_rows(session)
    return changed


async def _draft_one_by_one(services: Services, day: date, coworker_ids: Sequence[int]) -> int:
    changed = 0
    for coworker_id in coworker_ids:
        try:
            async with services.sessions.begin() as session:
                coworker = await session.get(Person, coworker_id)
                if coworker is None or not coworker.active:
                    continue
                result = await draft_day(services, session, coworker, day)
        except Exception:
            log.exception("drafting %s for co-worker %s failed", day, coworker_id)
            continue
        changed += result.changed
    return changed
