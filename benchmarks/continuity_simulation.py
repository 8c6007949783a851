"""Continuity under Vardag's routing against routing to whoever is on duty, over weeks
of a group's life driven through the real services and a real database.

    .venv/bin/python -m benchmarks.continuity_simulation --seeds 1 2 3
    .venv/bin/python -m benchmarks.continuity_simulation --database-url \\
        postgresql+asyncpg://postgres@127.0.0.1:5432/test

One group: 12 co-workers, 7 support persons at 50–100 % and a substitute, on a rota made
anew each week that covers weekdays 07–21 and weekends 09–21; one contact person away
three or four weeks, random sick days; co-workers write or ask for help on any day at
any hour from 06 to midnight, most in working hours (benchmarks/continuity/plan.py).
Everything goes through the services (benchmarks/continuity/life.py), and the figure
is the continuity service's own, for every co-worker and every 14-day window; the
simulation's own count of who answered and who took a call is printed beside it.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import time as wallclock
from datetime import date

from benchmarks.continuity.figures import summary
from benchmarks.continuity.life import ANY, VARDAG
from benchmarks.continuity.plan import draw
from benchmarks.continuity.run import Result, live

START = date(2027, 1, 11)  # a Monday; no public holiday in the eight weeks after
ANCHOR = (
    "National anchor, Öppna jämförelser, *home care* (hemtjänst): about 15 different "
    "staff in 14 days nationally, about 7 in the best municipalities. A different "
    "service (visits at home, several a day): a comparison, not an equivalence."
)


async def main(seeds: list[int], weeks: int, database_url: str | None) -> None:
    print(f"12 co-workers, 7 staff and a substitute, {weeks} weeks, start {START}")
    print()
    print("| routing | seed | mean | median | p90 | worst | done by a contact person | "
          "a contact person on duty | service = own count | contacts | seconds |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    means: dict[str, list[float]] = {VARDAG: [], ANY: []}
    for seed in seeds:
        plan = draw(seed, START, weeks)
        for routing in (VARDAG, ANY):  # the same plan under both, one after the other
            began = wallclock.monotonic()
            result = await live(plan, routing, seed, database_url)
            _row(routing, seed, result, wallclock.monotonic() - began)
            means[routing].append(summary(list(result.service.values())).mean)
    print()
    for routing, values in means.items():
        print(f"{routing}: mean over seeds {statistics.mean(values):.2f}")
    print()
    print(ANCHOR)


def _row(routing: str, seed: int, result: Result, seconds: float) -> None:
    figures = summary(list(result.service.values()))
    agree = sum(result.service[k] == result.counted.get(k) for k in result.service)
    share = result.by_contact_person / result.done if result.done else 0.0
    on_duty = result.contact_person_on_duty / result.contacts if result.contacts else 0.0
    on_duty_cell = f"{on_duty:.0%}" if routing == VARDAG else "(same plan)"
    print(
        f"| {routing} | {seed} | {figures.mean:.2f} | {figures.median:g} | {figures.p90} | "
        f"{figures.worst} | {share:.0%} | {on_duty_cell} | {agree}/{len(result.service)} | "
        f"{result.contacts} | {seconds:.0f} |"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--weeks", type=int, default=8)
    parser.add_argument("--database-url", help="PostgreSQL (a fresh schema per run)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)  # the product's warnings are expected here
    asyncio.run(main(args.seeds, args.weeks, args.database_url))
