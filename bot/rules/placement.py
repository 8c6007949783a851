"""The placement rules of drafting: which candidates go on a day, in what order (pure).

Nothing here reads or writes the database; ``drafting`` gathers the candidates and
writes the outcome. These rules are property-tested (``test_drafting_properties``):

* a task with a time of day is an appointment: it is placed first and never
  moved for capacity; when the timed tasks alone weigh more than the capacity
  the day is *overbooked* (the support person is told at review);
* the other tasks fill what the timed ones leave, by priority: their strain adds
  up to at most the capacity; a single task heavier than the capacity may stand
  alone on a day without timed tasks, and is flagged;
* the day is chosen for balance: a heavy task (strain 3) that could only stand
  back to back with another heavy one is deferred (``BALANCE``), and the room it
  leaves goes to lighter tasks;
* what does not fit is *deferred*, with a reason: it goes on the next working
  day's plan — nothing is dropped;
* the order is by time of day where set, then priority, then template, except
  that two heavy tasks are not put back to back when another order (keeping the
  timed tasks in time order) avoids it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time
from functools import cache
from itertools import pairwise

HEAVY = 3  # strain of a heavy task


class Source(enum.IntEnum):
    """Where a candidate comes from; the value is its priority (lower goes first)."""

    ADDED = 0
    CARRIED = 1
    RECURRING = 2


class DeferReason(enum.StrEnum):
    CAPACITY = "capacity"  # the day's stamina was used up
    TOO_HEAVY = "too_heavy"  # heavier than a whole day's stamina; it needs a day alone
    BALANCE = "balance"  # it would stand back to back with another heavy task


@dataclass(frozen=True)
class Candidate:
    """A task that could go on the day. ``ref`` tells candidates of one source apart."""

    ref: int
    template_id: int
    strain: int
    source: Source
    since: date | None = None  # the day a carried task was first planned for
    at: time | None = None

    @property
    def heavy(self) -> bool:
        return self.strain >= HEAVY

    def priority_key(self) -> tuple[int, date, int, int, int, bool, time]:
        return (
            self.source,
            self.since or date.min,
            self.template_id,
            self.ref,
            self.strain,
            self.at is None,
            self.at or time.min,
        )

    def order_key(self) -> tuple[bool, time, tuple[int, date, int, int, int, bool, time]]:
        return (self.at is None, self.at or time.min, self.priority_key())


@dataclass(frozen=True)
class Placement:
    placed: tuple[Candidate, ...]  # in the order of the list
    deferred: tuple[tuple[Candidate, DeferReason], ...]  # by priority
    over_capacity: Candidate | None = None  # a task heavier than the capacity, alone
    capacity: int = 0

    @property
    def strain(self) -> int:
        return sum(c.strain for c in self.placed)

    @property
    def overbooked(self) -> bool:
        """The timed tasks alone weigh more than the capacity (they stay all the same)."""
        return self.over_capacity is None and self.strain > self.capacity


def place(candidates: Iterable[Candidate], capacity: int) -> Placement:
    """Place the timed tasks, choose the others for the room left by priority and
    balance, defer the rest with a reason, and order the day."""
    every = sorted(set(candidates), key=Candidate.priority_key)
    timed = [c for c in every if c.at is not None]
    placed, deferred, over = _fill(timed, [c for c in every if c.at is None], capacity)
    while over is None and heavy_neighbours(arrange(placed)):
        # The heavy task of lowest priority that is not an appointment makes way.
        heavy = [c for c in placed if c.heavy and c.at is None]
        if not heavy:
            break
        dropped = max(heavy, key=Candidate.priority_key)
        kept = [c for c in placed if c != dropped]
        rest = [c for c, _ in deferred if not c.heavy]
        placed, more, _ = _fill(kept, rest, capacity)
        deferred = [
            *((c, r) for c, r in deferred if c not in placed and c not in rest),
            *more,
            (dropped, DeferReason.BALANCE),
        ]
    used = sum(c.strain for c in placed)
    deferred = [  # a heavy task the room would take, kept away for balance, says so
        (c, DeferReason.BALANCE if r is DeferReason.CAPACITY and used + c.strain <= capacity else r)
        for c, r in sorted(deferred, key=lambda pair: pair[0].priority_key())
    ]
    return Placement(arrange(placed), tuple(deferred), over, capacity)


def _fill(
    fixed: list[Candidate], others: list[Candidate], capacity: int
) -> tuple[list[Candidate], list[tuple[Candidate, DeferReason]], Candidate | None]:
    """``fixed`` (on the day whatever they weigh) and, by priority, those of ``others``
    that fit the room left; the rest deferred with a reason, and the task alone on the
    day heavier than the capacity, if any."""
    placed = list(fixed)
    deferred: list[tuple[Candidate, DeferReason]] = []
    over: Candidate | None = None
    used = sum(c.strain for c in placed)
    for candidate in others:
        if candidate.strain > capacity:
            if placed:  # a day of its own, then
                deferred.append((candidate, DeferReason.TOO_HEAVY))
            else:
                placed.append(candidate)
                over = candidate
        elif over is None and used + candidate.strain <= capacity:
            placed.append(candidate)
            used += candidate.strain
        else:
            deferred.append((candidate, DeferReason.CAPACITY))
    return placed, deferred, over


def heavy_neighbours(order: Sequence[Candidate]) -> int:
    """How many pairs of heavy tasks stand back to back."""
    return sum(1 for a, b in pairwise(order) if a.heavy and b.heavy)


def arrange(tasks: Iterable[Candidate]) -> tuple[Candidate, ...]:
    """The tasks in list order: timed ones in time order, the others by priority, moved
    only as far as needed for the fewest heavy tasks back to back (none when possible).

    Timed tasks keep their order among themselves; untimed ones may go anywhere. Of
    the orders with the fewest heavy neighbours this picks, step by step, the task
    that comes first in the plain order, so the result is deterministic.
    """
    base = sorted(tasks, key=Candidate.order_key)
    if sum(c.heavy for c in base) < 2:  # no two heavy tasks to keep apart: the plain order
        return tuple(base)
    rank = {c: i for i, c in enumerate(base)}
    timed = [c for c in base if c.at is not None]
    heavy = [c for c in base if c.at is None and c.heavy]
    light = [c for c in base if c.at is None and not c.heavy]

    def options(i: int, h: int, k: int) -> list[tuple[Candidate, tuple[int, int, int]]]:
        found = []
        if i < len(timed):
            found.append((timed[i], (i + 1, h, k)))
        if h < len(heavy):
            found.append((heavy[h], (i, h + 1, k)))
        if k < len(light):
            found.append((light[k], (i, h, k + 1)))
        return sorted(found, key=lambda option: rank[option[0]])

    @cache
    def fewest(i: int, h: int, k: int, last_heavy: bool) -> int:
        steps = options(i, h, k)
        if not steps:
            return 0
        return min(int(last_heavy and c.heavy) + fewest(*state, c.heavy) for c, state in steps)

    order: list[Candidate] = []
    state, last_heavy = (0, 0, 0), False
    while len(order) < len(base):
        best = fewest(*state, last_heavy)
        for c, following in options(*state):
            if int(last_heavy and c.heavy) + fewest(*following, c.heavy) == best:
                order.append(c)
                state, last_heavy = following, c.heavy
                break
    return tuple(order)
