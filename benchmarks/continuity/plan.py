"""The simulated world on paper, drawn from one seeded stream: who works when, who is away,
and when each co-worker writes or asks for help. Nothing here touches the database.

* Seven support persons of one group at 50–100 % (of 40 hours a week), and a substitute
  who works only while someone is on their long holiday. Every week the rota is made
  anew (as a rolling schedule would be): on weekdays two early shifts (07:00–15:30) and
  two late shifts (12:30–21:00), at weekends a day shift (09:00–17:00) and a late shift
  (13:00–21:00); each slot goes to someone not yet working that day (no early shift
  after a late one), drawn in proportion to the hours they have left that week.
* One member of staff (a contact person) takes a holiday of three or four weeks; the
  substitute works their hours meanwhile. Anyone on a shift may call in sick that
  morning; a sick day is not covered.
* Co-workers write or ask for help on any day, at any hour from 06:00 to midnight,
  most often in working hours.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, time, timedelta

STAFF = {"Anna": 1.0, "Bo": 0.8, "Cia": 0.75, "Dora": 0.5, "Erik": 1.0, "Fia": 0.6, "Gun": 0.8}
SUBSTITUTE = "Vik"
COWORKERS = ("Kim", "Lo", "Mo", "Nils", "Omar", "Pia", "Rut", "Sam", "Tea", "Ulf", "Vera", "Ada")
WEEK_HOURS = 40.0
WEEKDAY_SLOTS = ((time(7), time(15, 30)),) * 2 + ((time(12, 30), time(21)),) * 2
WEEKEND_SLOTS = ((time(9), time(17)), (time(13), time(21)))
SICK_CHANCE = 0.04  # per shift
CONTACTS_PER_DAY = {"weekday": 1.2, "weekend": 0.6}  # a co-worker's messages and calls
HELP_SHARE = 0.3  # of contacts, calls for help; the rest are messages
# The hour a contact falls in (06–23), weighted to working hours.
HOUR_WEIGHTS = {6: 1, **dict.fromkeys(range(7, 16), 6), 16: 3, 17: 3, 18: 3}
HOUR_WEIGHTS |= {19: 2, 20: 2, 21: 1, 22: 1, 23: 1}

Shift = tuple[int, time, time]  # weekday, start, end: what the rota service takes


@dataclass(frozen=True)
class Contact:
    coworker: str
    day: date
    at: time
    kind: str  # "message" or "help"


@dataclass(frozen=True)
class Plan:
    start: date  # a Monday
    weeks: int
    coworkers: tuple[str, ...]
    contact_persons: dict[str, tuple[str, str]]  # co-worker: (primary, secondary)
    rotas: list[dict[str, list[Shift]]]  # per week: each person's shifts (maybe none)
    holiday: tuple[str, date, date]  # who, first day, the day they are back
    sick: list[tuple[str, date]]
    contacts: list[Contact]

    @property
    def staff(self) -> tuple[str, ...]:
        return (*STAFF, SUBSTITUTE)


def draw(seed: int, start: date, weeks: int, coworkers: int = len(COWORKERS)) -> Plan:
    rng = random.Random(seed)
    names = COWORKERS[:coworkers]
    permanent = list(STAFF)
    contact_persons = {
        name: (permanent[i % len(permanent)], permanent[(i + 3) % len(permanent)])
        for i, name in enumerate(names)
    }
    who = rng.choice(permanent)
    length = min(rng.choice((3, 4)), max(weeks - 1, 1))
    first_week = rng.randrange(1, weeks - length + 1) if weeks > length else 0
    away = range(first_week, first_week + length)
    rotas = []
    for week in range(weeks):
        workers = dict(STAFF)
        if week in away:
            workers[SUBSTITUTE] = workers.pop(who)
        rotas.append(_week(rng, workers))
    sick = [
        (person, start + timedelta(weeks=week, days=weekday))
        for week, rota in enumerate(rotas)
        for person, shifts in sorted(rota.items())
        for weekday, _, _ in shifts
        if rng.random() < SICK_CHANCE
    ]
    holiday = (who, start + timedelta(weeks=away.start), start + timedelta(weeks=away.stop))
    days = [start + timedelta(days=n) for n in range(weeks * 7)]
    contacts = [c for day in days for c in _contacts_on(rng, day, names)]
    return Plan(start, weeks, names, contact_persons, rotas, holiday, sick, contacts)


def _week(rng: random.Random, workers: dict[str, float]) -> dict[str, list[Shift]]:
    left = {name: share * WEEK_HOURS for name, share in workers.items()}
    shifts: dict[str, list[Shift]] = {name: [] for name in workers}
    late_before: set[str] = set()
    for weekday in range(7):
        working: set[str] = set()
        late: set[str] = set()
        for start, end in WEEKDAY_SLOTS if weekday < 5 else WEEKEND_SLOTS:
            hours = _hours(start, end)
            free = [
                n
                for n in workers
                if n not in working and not (start < time(10) and n in late_before)
            ]
            fits = [n for n in free if left[n] >= hours] or free
            if not fits:
                continue  # nobody left to work it: the slot stays empty
            weights = [max(left[n], 0.0) + 0.1 for n in fits]
            chosen = rng.choices(fits, weights=weights)[0]
            left[chosen] -= hours
            working.add(chosen)
            if end > time(18):
                late.add(chosen)
            shifts[chosen].append((weekday, start, end))
        late_before = late
    return shifts


def _hours(start: time, end: time) -> float:
    return (end.hour * 60 + end.minute - start.hour * 60 - start.minute) / 60


def _contacts_on(rng: random.Random, day: date, coworkers: tuple[str, ...]) -> list[Contact]:
    mean = CONTACTS_PER_DAY["weekday" if day.weekday() < 5 else "weekend"]
    hours, weights = list(HOUR_WEIGHTS), list(HOUR_WEIGHTS.values())
    found = []
    for name in coworkers:
        for _ in range(_poisson(rng, mean)):
            at = time(rng.choices(hours, weights=weights)[0], rng.randrange(60))
            kind = "help" if rng.random() < HELP_SHARE else "message"
            found.append(Contact(name, day, at, kind))
    return sorted(found, key=lambda c: (c.day, c.at, c.coworker))


def _poisson(rng: random.Random, mean: float) -> int:
    count, limit, product = 0, math.exp(-mean), rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count
