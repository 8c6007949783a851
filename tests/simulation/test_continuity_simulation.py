"""The continuity simulation's core (benchmarks/continuity/) over two weeks: the figure the
continuity service gives is the number of different staff the simulation made answer or
take a call, for every co-worker; and routing to the contact persons first meets no more
staff than routing to whoever is on duty, in the same world.

A small world (four co-workers, one seed) so it runs in seconds; the benchmark lives
eight weeks, twelve co-workers and several seeds (docs/performance.md, "Continuity").
"""

from __future__ import annotations

import statistics
from datetime import date

from benchmarks.continuity.life import ANY, VARDAG
from benchmarks.continuity.plan import draw
from benchmarks.continuity.run import live
from tests.conftest import POSTGRES_URL

SEED = 5
START = date(2027, 1, 11)


async def test_the_figure_is_the_staff_met_and_contact_persons_first_meet_fewer() -> None:
    plan = draw(SEED, START, weeks=2, coworkers=4)
    vardag = await live(plan, VARDAG, SEED, POSTGRES_URL)
    anyone = await live(plan, ANY, SEED, POSTGRES_URL)

    for result in (vardag, anyone):
        assert result.done > 0, "nobody answered or took a call: nothing was tested"
        assert result.service == result.counted
        assert len(result.service) == 4  # one 14-day window, every co-worker
    assert statistics.mean(vardag.service.values()) <= statistics.mean(anyone.service.values())
    assert vardag.by_contact_person / vardag.done > anyone.by_contact_person / anyone.done
