"""Continuity under Vardag's routing against routing to any member of staff on duty.

    .venv/bin/python benchmarks/continuity_simulation.py --seed 1

One group: 12 co-workers, 4 support persons on a realistic rota (two on early and two
on late shifts every weekday), over 8 weeks with random sick days and one
holiday week each. Co-workers write and ask for help at random working-day moments.
Each contact is answered by whoever the routing picks. The figure (after the Swedish
Öppna jämförelser indicator) is the number of different staff a co-worker met in 14
days; the table shows its average and worst over every co-worker and 14-day window,
for Vardag's routing (first contact person, then the second, then other staff on
duty) and for "any on duty" (a random member of staff on duty). The rules are the
real ones (``bot.services.routing.decide`` and ``is_on_duty``); no database is used.
"""

from __future__ import annotations

import argparse
import random
import statistics
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.services.routing import SWEDISH_HOLIDAYS, Rota, Shift, decide, is_on_duty

ZONE = ZoneInfo("Europe/Stockholm")
START = date(2027, 1, 4)  # a Monday
WEEKS = 8
STAFF = [1, 2, 3, 4]
COWORKERS = list(range(100, 112))
EARLY, LATE = (time(7, 0), time(15, 0)), (time(10, 0), time(18, 0))
CONTACTS_PER_DAY = 1.5  # a co-worker's messages and calls for help on a working day
SICK_DAY_CHANCE = 0.04


def rotas(rng: random.Random) -> dict[int, Rota]:
    """Early or late weekday shifts; random sick days; one holiday week each."""
    result = {}
    for index, person in enumerate(STAFF):
        absences = []
        holiday_week = 1 + index * 2  # weeks 1, 3, 5, 7: never two away at once
        for week in range(WEEKS):
            monday = START + timedelta(weeks=week)
            if week == holiday_week:
                absences.append(_span(monday, monday + timedelta(days=7)))
                continue
            for offset in range(5):
                day = monday + timedelta(days=offset)
                if rng.random() < SICK_DAY_CHANCE:
                    absences.append(_span(day, day + timedelta(days=1)))
        start, end = EARLY if index % 2 == 0 else LATE
        shifts = [Shift(weekday, start, end) for weekday in range(5)]
        result[person] = Rota(tuple(shifts), tuple(absences))
    return result


def _span(first: date, after: date) -> tuple[datetime, datetime]:
    return (
        datetime.combine(first, time(0), ZONE).astimezone(UTC),
        datetime.combine(after, time(0), ZONE).astimezone(UTC),
    )


def contacts(rng: random.Random) -> list[tuple[int, datetime]]:
    """(co-worker, moment) of every message or call for help over the weeks."""
    events = []
    for offset in range(WEEKS * 7):
        day = START + timedelta(days=offset)
        if day.weekday() >= 5 or day in SWEDISH_HOLIDAYS:
            continue
        for coworker in COWORKERS:
            for _ in range(_poisson(rng, CONTACTS_PER_DAY)):
                minute = rng.randrange(8 * 60, 16 * 60)
                local = datetime.combine(day, time(minute // 60, minute % 60), ZONE)
                events.append((coworker, local.astimezone(UTC)))
    return sorted(events, key=lambda e: e[1])


def _poisson(rng: random.Random, mean: float) -> int:
    count, limit, product = 0, pow(2.718281828, -mean), rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def vardag(coworker: int, at: datetime, staff: dict[int, Rota], _: random.Random) -> int | None:
    # Contact persons are assigned in pairs: co-workers 0-5 have staff 1 and 2, 6-11 have 3 and 4.
    pair = (1, 2) if COWORKERS.index(coworker) < 6 else (3, 4)
    primary, secondary = pair if coworker % 2 == 0 else pair[::-1]
    others = [(p, staff[p]) for p in STAFF if p not in pair]
    decision = decide(
        (primary, staff[primary]), (secondary, staff[secondary]), others, at, ZONE,
        SWEDISH_HOLIDAYS,
    )  # fmt: skip
    return decision.person_id


def any_on_duty(
    coworker: int, at: datetime, staff: dict[int, Rota], rng: random.Random
) -> int | None:
    on = [p for p in STAFF if is_on_duty(staff[p], at, ZONE, SWEDISH_HOLIDAYS)]
    return rng.choice(on) if on else None


def figures(met: dict[int, list[tuple[datetime, int]]]) -> list[int]:
    """Distinct staff per co-worker in every 14-day window that fits in the period."""
    result = []
    for first in range(0, WEEKS * 7 - 13):
        start = datetime.combine(START + timedelta(days=first), time(0), ZONE)
        end = start + timedelta(days=14)
        for coworker in COWORKERS:
            seen = {s for at, s in met[coworker] if start <= at < end}
            result.append(len(seen))
    return result


def simulate(seed: int) -> dict[str, tuple[float, int, float]]:
    rng = random.Random(seed)
    staff = rotas(rng)
    events = contacts(rng)
    table = {}
    for name, route in (("Vardag (contact persons first)", vardag), ("any on duty", any_on_duty)):
        met: dict[int, list[tuple[datetime, int]]] = defaultdict(list)
        pick = random.Random(seed + 1)
        unanswered = 0
        for coworker, at in events:
            person = route(coworker, at, staff, pick)
            if person is None:
                unanswered += 1  # waits for the next on duty; not a meeting yet
            else:
                met[coworker].append((at, person))
        values = figures(met)
        table[name] = (statistics.mean(values), max(values), unanswered / len(events))
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    table = simulate(args.seed)
    print(f"12 co-workers, 4 support persons, {WEEKS} weeks, seed {args.seed}")
    print()
    print("| routing | average 14-day figure | worst | waited for someone on duty |")
    print("|---|---:|---:|---:|")
    for name, (average, worst, waited) in table.items():
        print(f"| {name} | {average:.2f} | {worst} | {waited:.1%} |")


if __name__ == "__main__":
    main()
