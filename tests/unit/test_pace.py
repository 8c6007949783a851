"""The pace (bot/outbox/pace.py) on a clock the test moves: a 429's retry_after is waited out,
a burst starts at the rate (not with a second's worth at once), the rate comes back up
after a 429, and a person's own call goes before the broadcast."""

from __future__ import annotations

from bot.outbox.pace import Pace


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


def a_pace(ceiling: float = 30.0) -> tuple[Pace, FakeTime]:
    fake = FakeTime()
    return Pace(ceiling, clock=fake.clock, sleep=fake.sleep), fake


async def test_the_first_second_of_a_burst_carries_no_more_than_the_rate() -> None:
    pace, fake = a_pace()
    sent_in_first_second = 0
    while True:
        await pace.take()
        if fake.now >= 1.0:
            break
        sent_in_first_second += 1
    assert 25 <= sent_in_first_second <= 31


async def test_a_429_pauses_the_broadcast_for_its_retry_after_then_creeps_back() -> None:
    pace, fake = a_pace()
    await pace.take()
    fake.now = 5.0
    pace.refused(3.0)
    await pace.take()
    assert fake.now >= 8.0  # not before retry_after has passed
    assert pace.rate < 30.0  # and slower than before
    fake.now += 60.0
    await pace.take()
    assert pace.rate == 30.0  # a minute without a 429: back at the ceiling


async def test_a_persons_own_call_goes_first_and_the_broadcast_pays_for_it() -> None:
    pace, fake = a_pace()
    fake.now = 10.0  # a full bucket
    for _ in range(10):
        await pace.take_first()
    assert fake.now == 10.0  # people's calls never waited
    await pace.take()
    assert fake.now > 10.0  # the broadcast waited for what they took
