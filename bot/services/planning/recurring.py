"""Managing a co-worker's recurring tasks over months: list them, pause one for a while
(a holiday, a time of illness), resume it, change its days or its time, or end it.

Each change is in the audit trail, and the co-worker's lists that are still drafts from
today on are drafted again at once, so what the support person sees is what will be
sent. An approved or sent list is never changed (drafting leaves it alone).
"""

from __future__ import annotations

from datetime import date, time

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.rules import recurrence
from bot.rules.recurrence import Preset, RecurrenceError
from bot.rules.repeating import Repeating
from bot.services.errors import OrganisationError
from bot.services.planning import drafting
from bot.services.privacy import audit
from storage.models import Person
from storage.repos import drafting as drafting_repo
from storage.repos import recurring as repo

MAX_PAUSE_DAYS = 366


async def of_coworker(session: AsyncSession, coworker: Person) -> list[Repeating]:
    """The co-worker's recurring tasks that have not ended, oldest first."""
    return [Repeating(r, t) for r, t in await drafting_repo.recurrences_of(session, coworker.id)]


async def find(session: AsyncSession, recurrence_id: int) -> Repeating:
    found = await repo.recurrence_with_template(session, recurrence_id)
    if found is None or not found[0].active:
        raise OrganisationError("repeat.unknown", ref=f"#{recurrence_id}")
    return Repeating(*found)


async def find_for(session: AsyncSession, coworker: Person, ref: str) -> Repeating:
    """One of the co-worker's recurring tasks by ``#id`` or by its task's title (any case)."""
    ref = ref.strip()
    for each in await of_coworker(session, coworker):
        if ref == f"#{each.recurrence.id}" or ref.casefold() == each.template.title.casefold():
            return each
    raise OrganisationError("repeat.unknown", ref=ref)


async def pause(
    services: Services,
    session: AsyncSession,
    coworker: Person,
    repeating: Repeating,
    first: date,
    last: date,
    *,
    actor: Person | None = None,
) -> None:
    """No task from ``first`` to ``last`` (both included); it comes back by itself after."""
    if last < first or (last - first).days >= MAX_PAUSE_DAYS:
        raise OrganisationError("repeat.bad_pause", days=MAX_PAUSE_DAYS)
    rule = repeating.recurrence
    rule.paused_from, rule.paused_until = first, last
    await _changed(
        services,
        session,
        coworker,
        repeating,
        actor,
        "plan.repeat_pause",
        f"{first.isoformat()}..{last.isoformat()}",
    )


async def resume(
    services: Services,
    session: AsyncSession,
    coworker: Person,
    repeating: Repeating,
    *,
    actor: Person | None = None,
) -> None:
    rule = repeating.recurrence
    rule.paused_from = rule.paused_until = None
    await _changed(services, session, coworker, repeating, actor, "plan.repeat_resume")


async def change_days(
    services: Services,
    session: AsyncSession,
    coworker: Person,
    repeating: Repeating,
    weekdays: list[int],
    *,
    actor: Person | None = None,
) -> None:
    """New weekdays; every other week stays every other week (counted as before)."""
    rule = repeating.recurrence
    shape = recurrence.preset_of(rule.rrule)
    if shape is None or shape[0] is Preset.ONE_DAY:
        raise OrganisationError("repeat.fixed_rule")
    preset = recurrence.weekly_preset(
        weekdays, every_other_week=shape[0] is Preset.EVERY_OTHER_WEEK
    )
    try:
        rule.rrule = recurrence.build_rule(preset, weekdays)
    except RecurrenceError:
        raise OrganisationError("repeat.no_days") from None
    await _changed(services, session, coworker, repeating, actor, "plan.repeat_change", rule.rrule)


async def change_time(
    services: Services,
    session: AsyncSession,
    coworker: Person,
    repeating: Repeating,
    at: time | None,
    *,
    actor: Person | None = None,
) -> None:
    """A new time of day (``None``: no set time), on the drafts already made too."""
    repeating.recurrence.time_of_day = at
    for row in await repo.open_drafted_rows(session, repeating.recurrence.id, services.today()):
        row.time_of_day = at
    detail = at.strftime("%H:%M") if at else "-"
    await _changed(services, session, coworker, repeating, actor, "plan.repeat_time", detail)


async def end(
    services: Services,
    session: AsyncSession,
    coworker: Person,
    repeating: Repeating,
    *,
    actor: Person | None = None,
) -> None:
    """No more of it from today's draft on (the row stays for the history)."""
    repeating.recurrence.active = False
    await _changed(services, session, coworker, repeating, actor, "plan.repeat_end")


async def _changed(
    services: Services,
    session: AsyncSession,
    coworker: Person,
    repeating: Repeating,
    actor: Person | None,
    action: str,
    detail: str | None = None,
) -> None:
    about = f"repeat {repeating.recurrence.id}" + (f": {detail}" if detail else "")
    await audit.record(
        services, session, actor=actor, subject=coworker, action=action, detail=about
    )
    await session.flush()
    for day in await drafting_repo.draft_days_from(session, coworker.id, services.today()):
        await drafting.draft_day(services, session, coworker, day)
