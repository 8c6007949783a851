"""The safety net holds over weeks of ordinary life (issue 14, "Done means").

A simulated group life (tests/simulation/world.py): 8 co-workers, 4 support persons and
a responsible admin; holidays and sick days of staff; Swedish public holidays; Rutt 1's
lists wait for approval and are approved in the evening, late, too late or never; red
check-ins, calls for help and messages at random hours; alerts taken late or never.
Everything runs through the real services, the real job callbacks, the real outbox
sender and the sandbox Bot API over HTTP; only time is simulated (tests/simulation/
timeline.py). At the end of every day the invariants in tests/simulation/invariants.py
must hold; a failure names the seed and the day, and

    VARDAG_SIM_SEED=<seed> .venv/bin/pytest -q tests/simulation -x

replays exactly that world. To run longer or wider:

    VARDAG_SIM_WEEKS=8 VARDAG_SIM_EXAMPLES=2 .venv/bin/pytest -q tests/simulation

(the issue's 8 weeks and two seeds: several minutes; the default is 2 weeks and two seeds,
to stay near a minute. Add VARDAG_TEST_DATABASE_URL=... for PostgreSQL,
VARDAG_SIM_VERBOSE=1 for a line per day and a tally of what happened, and
VARDAG_SIM_LOG_LEVEL=INFO to see what the bot did.)
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from datetime import UTC, datetime, timedelta

from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from tests.simulation import invariants
from tests.simulation.harness import a_bot
from tests.simulation.timeline import Timeline
from tests.simulation.world import World

# The default keeps the suite quick (about a minute on a busy 2-core machine: each
# simulated day takes a few seconds, most of it the product's own drafting and sending);
# the eight weeks and more seeds are one environment variable away.
WEEKS = int(os.environ.get("VARDAG_SIM_WEEKS", "2"))
EXAMPLES = int(os.environ.get("VARDAG_SIM_EXAMPLES", "2"))
PINNED = os.environ.get("VARDAG_SIM_SEED")
# Sunday 20 December 2026, 12:00 UTC: the first simulated day is Monday the 21st, so even
# the shortest run has Christmas and New Year's Day in it (Epiphany in the third week).
START = datetime(2026, 12, 20, 12, 0, tzinfo=UTC)


async def simulate(seed: int) -> None:
    async with a_bot(START) as bot:
        world = World(bot, random.Random(seed))
        first = bot.services.today() + timedelta(days=1)
        last = first + timedelta(weeks=WEEKS) - timedelta(days=1)
        await world.build(first, last + timedelta(days=1))
        timeline = Timeline(world)
        began = time.monotonic()
        await timeline.live(first - timedelta(days=1))  # the evening before: the reviews
        day = first
        while day <= last:
            moments = await timeline.live(day)
            if os.environ.get("VARDAG_SIM_VERBOSE"):
                print(f"{day} {moments} moments, {time.monotonic() - began:.1f} s", flush=True)
                print({k: round(v, 1) for k, v in bot.spent.items()}, flush=True)
            problems = await invariants.broken(world, day)
            assert not problems, f"seed {seed}, {day:%a %d %b %Y}:\n" + "\n".join(problems)
            day += timedelta(days=1)
        happened = await invariants.tally(world)
        if os.environ.get("VARDAG_SIM_VERBOSE"):
            print(f"seed {seed}: {happened}", flush=True)
        # The weeks did test the net: each path was taken at least once.
        for path in ("help", "red_check_in", "message", "promise list_due: told"):
            assert happened.get(path), f"seed {seed}: nothing like {path!r} happened"


seeds = st.just(int(PINNED)) if PINNED else st.integers(min_value=0, max_value=2**31)


@settings(
    max_examples=1 if PINNED else EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # a failing seed is printed, not shrunk
)
@given(seed=seeds)
def test_nobody_falls_through_the_cracks_over_weeks(seed: int) -> None:
    asyncio.run(simulate(seed))
