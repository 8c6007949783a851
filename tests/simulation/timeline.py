"""Living a simulated day: move the clock from one moment of interest to the next, do
what happens then, and tick every job once.

The moments: fixed times of the day (the shifts, the mornings, the summaries, the
evening drafting), the world's random events, and whatever the database says is due
next (a promise, a step of an escalation, an outbox row waiting for someone on duty),
so nothing due is skipped however far the clock jumps.
"""

from __future__ import annotations

import heapq
import itertools
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from bot.context import Services
from storage.models import HelpRequest, OutboxMessage, OutboxStatus, Promise
from tests.simulation.world import Action, World

SECOND = timedelta(seconds=1)
LAST = time(23, 59)


class Timeline:
    def __init__(self, world: World) -> None:
        self.world = world
        self._queue: list[tuple[datetime, int, Action]] = []
        self._order = itertools.count()

    def add(self, events: list[tuple[datetime, Action]]) -> None:
        for moment, action in events:
            heapq.heappush(self._queue, (moment, next(self._order), action))

    async def fixed_moments(self, day: date) -> list[datetime]:
        """The times the clock's jobs look at: the mornings of the day's lists, the
        summaries, the evening drafting and reviews (all else is found as it falls due)."""
        settings = self.world.services.settings
        times = [settings.end_of_day_time, settings.staff_summary_time, settings.draft_time]
        moments = {self.world.at(day, t) for t in times}
        moments |= set(await self.world.mornings(day))
        return sorted(m + SECOND for m in moments)

    async def live(self, day: date) -> int:
        """The day, up to 23:59 (inclusive); how many moments it took."""
        world = self.world
        self.add(await world.day_events(day))
        fixed = await self.fixed_moments(day)
        last = world.at(day, LAST)
        moments = 0
        while True:
            now = world.services.now()
            candidates = [m for m in fixed if m > now]
            if self._queue:
                candidates.append(max(self._queue[0][0], now))
            due = await self._next_due(now)
            if due is not None:
                candidates.append(due + SECOND)
            moment = min(candidates, default=last)
            if moment > last:
                moment = last
            world.bot.clock.set(moment)
            while self._queue and self._queue[0][0] <= moment:
                await heapq.heappop(self._queue)[2]()
            await world.bot.tick()
            self.add(await world.alerts_to_take())
            moments += 1
            if moment >= last:
                return moments

    async def _next_due(self, now: datetime) -> datetime | None:
        return await next_due(self.world.services, now)


async def next_due(services: Services, now: datetime) -> datetime | None:
    """The earliest moment after ``now`` at which the database has something due: a
    promise, a step of an escalation, an outbox row waiting for someone on duty (shared
    with the continuity simulation, benchmarks/continuity/life.py)."""
    async with services.sessions() as session:
        found = [
            await session.scalar(
                select(func.min(Promise.due_at)).where(
                    Promise.closed_at.is_(None), Promise.due_at > now
                )
            ),
            await session.scalar(
                select(func.min(HelpRequest.next_step_at)).where(
                    HelpRequest.acknowledged_at.is_(None), HelpRequest.next_step_at > now
                )
            ),
            await session.scalar(
                select(func.min(OutboxMessage.next_attempt_at)).where(
                    OutboxMessage.status == OutboxStatus.PENDING,
                    OutboxMessage.next_attempt_at > now,
                )
            ),
        ]
    return min((f for f in found if f is not None), default=None)
