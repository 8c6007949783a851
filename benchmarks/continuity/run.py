"""One lived plan, start to end: a fresh database, the world built and lived under one
routing, and its figures read back (the core the benchmark and its test share)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from zoneinfo import ZoneInfo

from bot.rules.localtime import local_moment
from tests.simulation.runtime import a_runtime

from .figures import Key, from_service, from_what_was_done
from .life import Life
from .plan import Plan

ZONE_NAME = "Europe/Stockholm"  # the settings' default, which the simulation uses


@dataclass(frozen=True)
class Result:
    service: dict[Key, int]  # the figures the continuity service gives
    counted: dict[Key, int]  # the same, counted from what staff were made to do
    contacts: int  # messages and calls for help the co-workers made
    done: int  # answers written and calls taken
    by_contact_person: int  # of those, by one of the co-worker's own contact persons
    contact_person_on_duty: int  # contacts made while one of theirs was (VARDAG only)


async def live(plan: Plan, routing: str, seed: int, postgres_url: str | None) -> Result:
    start = local_moment(plan.start, time(0), ZoneInfo(ZONE_NAME))
    async with a_runtime(start, postgres_url) as world:
        life = Life(world, plan, routing, seed)
        await life.build()
        await life.live()
        service = await from_service(life)
    own = {
        (life.ids[name], life.ids[person])
        for name, pair in plan.contact_persons.items()
        for person in pair
    }
    done = life.staff.done
    return Result(
        service,
        from_what_was_done(life),
        len(plan.contacts),
        len(done),
        sum((d.coworker_id, d.staff_id) in own for d in done),
        life.contact_person_on_duty,
    )
