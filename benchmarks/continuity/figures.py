"""The 14-day figures of a lived plan: for every co-worker and every day from the
fourteenth on, the figure the product shows at the end of that day, read from the real
continuity service (``continuity.for_groups``, with the clock set to 23:59:59 local) and
counted independently from what the simulation made staff do (:class:`.staff.Done`)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, time, timedelta

from bot.rules.localtime import local_moment
from bot.services.people import continuity
from storage.models import Group

from .life import Life

Key = tuple[date, int]  # the window's last day, co-worker id


@dataclass(frozen=True)
class Summary:
    mean: float
    median: float
    p90: float
    worst: int


async def from_service(life: Life) -> dict[Key, int]:
    services, plan = life.services, life.plan
    found: dict[Key, int] = {}
    for last in _last_days(life):
        life.world.clock.set(local_moment(last, time(23, 59, 59), services.zone))
        async with services.sessions.begin() as session:
            group = await session.get_one(Group, life.group_id)
            [figures] = await continuity.for_groups(services, session, [group], None)
        for figure in figures.figures:
            if figure.coworker.display_name in plan.coworkers:
                found[(last, figure.coworker.id)] = figure.staff
    return found


def from_what_was_done(life: Life) -> dict[Key, int]:
    zone = life.services.zone
    found: dict[Key, int] = {}
    for last in _last_days(life):
        since = local_moment(last - timedelta(days=continuity.DAYS - 1), time(0), zone)
        until = local_moment(last + timedelta(days=1), time(0), zone)
        for coworker in life.coworker_ids:
            met = {
                d.staff_id
                for d in life.staff.done
                if d.coworker_id == coworker and since <= d.at < until
            }
            found[(last, coworker)] = len(met)
    return found


def _last_days(life: Life) -> list[date]:
    """Every day whose 14-day window lies inside the lived weeks."""
    first = life.plan.start + timedelta(days=continuity.DAYS - 1)
    return [first + timedelta(days=n) for n in range(life.plan.weeks * 7 - continuity.DAYS + 1)]


def summary(values: list[int]) -> Summary:
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
    return Summary(statistics.mean(values), statistics.median(values), p90, max(values))
