"""The placement rules of drafting, as properties over small made-up days."""

from __future__ import annotations

import random
from datetime import date, time
from itertools import permutations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.rules.placement import (
    Candidate,
    DeferReason,
    Source,
    arrange,
    heavy_neighbours,
    place,
)

FAST = settings(max_examples=150, deadline=None)

SINCE = st.sampled_from([None, date(2026, 11, 20), date(2026, 11, 23)])
AT = st.sampled_from([None, None, time(9, 0), time(13, 0)])


@st.composite
def candidates(draw: st.DrawFn, most: int = 7) -> list[Candidate]:
    count = draw(st.integers(0, most))
    found = []
    for ref in range(count):
        source = draw(st.sampled_from(Source))
        found.append(
            Candidate(
                ref=ref,
                template_id=draw(st.integers(1, 4)),
                strain=draw(st.integers(1, 3)),
                source=source,
                since=draw(SINCE) if source is Source.CARRIED else None,
                at=draw(AT),
            )
        )
    return found


CAPACITY = st.integers(1, 10)


def keeps_time_order(order: tuple[Candidate, ...]) -> bool:
    timed = [c for c in order if c.at is not None]
    return timed == sorted(timed, key=Candidate.order_key)


@FAST
@given(candidates(), CAPACITY)
def test_the_day_stays_within_capacity(tasks: list[Candidate], capacity: int) -> None:
    result = place(tasks, capacity)
    if result.over_capacity is not None:
        assert result.placed == (result.over_capacity,)
        assert result.over_capacity.strain > capacity
        assert result.over_capacity.at is None
    elif result.overbooked:  # only appointments can make a day heavier than the capacity
        assert all(c.at is not None for c in result.placed)
        assert result.strain > capacity
    else:
        assert result.strain <= capacity
        assert all(c.strain <= capacity for c in result.placed)


@FAST
@given(candidates(most=10), CAPACITY)
def test_a_fixed_time_task_is_on_every_list_it_is_due_on(
    tasks: list[Candidate], capacity: int
) -> None:
    """Whatever the capacity and the other tasks: an appointment is never moved."""
    result = place(tasks, capacity)
    timed = {c for c in tasks if c.at is not None}
    assert timed <= set(result.placed)
    assert not timed & {c for c, _ in result.deferred}


@FAST
@given(candidates(), CAPACITY)
def test_every_task_is_on_the_day_or_deferred_with_a_reason(
    tasks: list[Candidate], capacity: int
) -> None:
    result = place(tasks, capacity)
    deferred = [c for c, _ in result.deferred]
    assert sorted(result.placed + tuple(deferred), key=Candidate.priority_key) == sorted(
        tasks, key=Candidate.priority_key
    )
    assert not set(result.placed) & set(deferred)
    for candidate, reason in result.deferred:
        assert isinstance(reason, DeferReason)
        assert candidate.at is None
        if reason is DeferReason.TOO_HEAVY:
            assert candidate.strain > capacity
        elif reason is DeferReason.BALANCE:
            assert candidate.heavy
        elif result.over_capacity is None:  # it really does not fit the day as it is
            assert result.strain + candidate.strain > capacity


@FAST
@given(candidates(), CAPACITY)
def test_higher_priority_is_never_deferred_for_a_lower_one(
    tasks: list[Candidate], capacity: int
) -> None:
    """A task of lower priority is on the day instead of a deferred one only if it is
    lighter, or an appointment."""
    result = place(tasks, capacity)
    for candidate, _ in result.deferred:
        for other in result.placed:
            if other.at is None and other.priority_key() > candidate.priority_key():
                assert other.strain < candidate.strain


@FAST
@given(candidates(most=9), CAPACITY)
def test_heavy_tasks_stand_apart_unless_appointments_put_them_together(
    tasks: list[Candidate], capacity: int
) -> None:
    """The day is chosen for balance: two heavy tasks back to back only when both are
    appointments (a heavy task that could only follow another heavy one waits)."""
    placed = place(tasks, capacity).placed
    if heavy_neighbours(placed):
        assert all(c.at is not None for c in placed if c.heavy)


@FAST
@given(candidates(), CAPACITY)
def test_no_heavy_tasks_back_to_back_when_another_order_avoids_it(
    tasks: list[Candidate], capacity: int
) -> None:
    placed = place(tasks, capacity).placed
    assert keeps_time_order(placed)
    fewest = min(
        heavy_neighbours(order) for order in permutations(placed) if keeps_time_order(order)
    )
    assert heavy_neighbours(placed) == fewest


@FAST
@given(candidates(), CAPACITY, st.randoms(use_true_random=False))
def test_the_same_input_gives_the_same_plan(
    tasks: list[Candidate], capacity: int, shuffler: random.Random
) -> None:
    shuffled = list(tasks)
    shuffler.shuffle(shuffled)
    assert place(shuffled, capacity) == place(tasks, capacity)
    assert place(tasks, capacity) == place(tasks, capacity)


@FAST
@given(candidates(most=12))
def test_arrange_keeps_every_task_and_untimed_heavy_ones_apart_when_there_is_room(
    tasks: list[Candidate],
) -> None:
    order = arrange(tasks)
    assert sorted(order, key=Candidate.order_key) == sorted(tasks, key=Candidate.order_key)
    untimed = [c for c in tasks if c.at is None]
    if len(untimed) == len(tasks):
        heavy = sum(c.heavy for c in tasks)
        if heavy <= len(tasks) - heavy + 1:
            assert heavy_neighbours(order) == 0


def test_two_heavy_tasks_do_not_make_a_whole_day() -> None:
    """Capacity 6 and two heavy tasks: the second waits, and light tasks fill the day."""
    day = [
        Candidate(1, 1, 3, Source.ADDED),
        Candidate(2, 2, 3, Source.RECURRING),
        Candidate(3, 3, 1, Source.RECURRING),
        Candidate(4, 4, 1, Source.RECURRING),
    ]
    result = place(day, 6)
    assert [c.ref for c in result.placed] == [1, 3, 4]
    assert [(c.ref, reason) for c, reason in result.deferred] == [(2, DeferReason.BALANCE)]


def test_appointments_stay_and_the_day_is_overbooked() -> None:
    day = [
        Candidate(1, 1, 2, Source.ADDED),
        Candidate(2, 2, 3, Source.RECURRING, at=time(9, 0)),
        Candidate(3, 3, 2, Source.RECURRING, at=time(13, 0)),
    ]
    result = place(day, 4)
    assert [c.ref for c in result.placed] == [2, 3]
    assert result.overbooked and result.over_capacity is None
    assert [(c.ref, reason) for c, reason in result.deferred] == [(1, DeferReason.CAPACITY)]


def test_a_heavy_first_light_last_example() -> None:
    day = [
        Candidate(1, 1, 3, Source.ADDED),
        Candidate(2, 2, 3, Source.CARRIED, date(2026, 11, 20)),
        Candidate(3, 3, 1, Source.RECURRING),
    ]
    result = place(day, 7)
    assert [c.ref for c in result.placed] == [1, 3, 2]
    assert result.deferred == ()
