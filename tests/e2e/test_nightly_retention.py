"""Retention runs from the clock once a night, after the local retention time (03:00)."""

from __future__ import annotations

import asyncio
from datetime import time, timedelta

from bot.rules.localtime import local_moment
from jobs.housekeeping import RETENTION_DONE
from storage.models import CheckIn, Message, Role
from storage.repos import people
from tests.e2e.conftest import RunningBot
from tests.unit.test_retention import a_history, rows_of


async def settle(running_bot: RunningBot) -> None:
    """Long enough for several ticks of the clock's jobs (0.1 s in tests)."""
    await asyncio.sleep(0.6)


async def test_old_rows_go_in_the_night_not_during_the_day(running_bot: RunningBot) -> None:
    services = running_bot.services
    tuesday = services.today()
    for _ in range(50):  # started at 06:00: the first tick catches up on last night
        if running_bot.application.bot_data.get(RETENTION_DONE) == tuesday:
            break
        await asyncio.sleep(0.1)
    assert running_bot.application.bot_data.get(RETENTION_DONE) == tuesday

    now = services.now()
    async with services.sessions.begin() as session:
        kim = await people.add_person(session, name="Kim", role=Role.COWORKER, now=now)
    old = now - timedelta(days=400)
    await a_history(services, kim.id, old, old.date())
    await settle(running_bot)
    assert await rows_of(services, CheckIn) == 1, "deleted again the same day"

    wednesday = tuesday + timedelta(days=1)
    running_bot.clock.set(local_moment(wednesday, time(2, 59, 58), services.zone))
    await settle(running_bot)
    assert await rows_of(services, CheckIn) == 1, "deleted before 03:00"

    running_bot.clock.set(local_moment(wednesday, time(3, 0, 1), services.zone))
    for _ in range(50):
        if await rows_of(services, CheckIn) == 0:
            break
        await asyncio.sleep(0.1)
    assert await rows_of(services, CheckIn) == 0
    assert await rows_of(services, Message) == 0
    assert running_bot.application.bot_data.get(RETENTION_DONE) == wednesday
