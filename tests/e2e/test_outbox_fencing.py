"""Fencing and time-outs of the outbox sender: a send is claimed for the leader's term
just before the call, so a leader whose term has passed (or that has stood down) sends
nothing, and a row another sender holds is left alone until its lease ends. A slow but
working Telegram is waited for; a send past its time-out counts as "maybe sent"."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from telegram import Bot

from bot.context import Services
from bot.outbox.sender import LEASE_MARGIN_SECONDS, OutboxSender
from bot.rules.clock import MovableClock
from bot.sandbox.client import SandboxClient
from bot.sandbox.server import SandboxServer
from bot.services.people.reachability import blocked_the_bot
from storage.models import LeaderTerm, OutboxStatus
from storage.repos import outbox as outbox_repo
from tests.conftest import TEST_TOKEN
from tests.e2e.test_outbox_sender import KIM, queue, row


@pytest.fixture
async def bot(sandbox: SandboxServer) -> AsyncIterator[Bot]:
    async with Bot(TEST_TOKEN, base_url=f"{sandbox.url}/bot") as bot:
        yield bot


@pytest.fixture
async def kim(people: SandboxClient) -> int:
    await people.add_user(KIM, "Kim")
    await people.send_text(KIM, "hej")
    return KIM


async def term_is(services: Services, term: int) -> None:
    async with services.sessions.begin() as session:
        found = await session.get(LeaderTerm, 1)
        if found is None:
            session.add(LeaderTerm(id=1, term=term, holder="test", heartbeat_at=services.now()))
        else:
            found.term = term


async def texts(people: SandboxClient) -> list[str | None]:
    return [m.text for m in await people.bot_messages(KIM)]


async def test_a_leader_whose_term_has_passed_sends_nothing(
    services: Services, bot: Bot, people: SandboxClient, kim: int
) -> None:
    sender = OutboxSender(services, bot, {}, on_blocked=blocked_the_bot)
    sender.fence()
    row_id = await queue(services)
    await term_is(services, 2)  # another instance has begun term 2
    sender.lead(1)
    assert await sender.drain() == 0
    stale = await row(services, row_id)
    assert stale.status is OutboxStatus.PENDING and stale.claimed_term is None
    assert await texts(people) == []

    sender.lead(2)
    assert await sender.drain() == 1
    sent = await row(services, row_id)
    assert sent.status is OutboxStatus.SENT and sent.claimed_term == 2
    assert await texts(people) == ["Hej Kim!"]


async def test_a_sender_that_stood_down_sends_nothing(
    services: Services, bot: Bot, people: SandboxClient, kim: int
) -> None:
    sender = OutboxSender(services, bot, {}, on_blocked=blocked_the_bot)
    sender.fence()
    await term_is(services, 5)
    await queue(services)
    assert await sender.drain() == 0  # fenced and not leading yet
    sender.lead(5)
    sender.stand_down()
    assert await sender.drain() == 0
    assert await texts(people) == []


async def test_a_row_claimed_by_another_sender_waits_for_its_lease(
    services: Services, bot: Bot, people: SandboxClient, kim: int, clock: MovableClock
) -> None:
    row_id = await queue(services)
    lease = timedelta(seconds=services.settings.outbox_send_timeout + LEASE_MARGIN_SECONDS)
    async with services.sessions.begin() as session:  # the old leader, mid-send
        now = services.now()
        assert await outbox_repo.claim(session, row_id, now=now, lease_until=now + lease, term=None)
    sender = OutboxSender(services, bot, {}, on_blocked=blocked_the_bot)
    assert await sender.drain() == 0
    clock.advance(lease - timedelta(seconds=1))
    assert await sender.drain() == 0
    clock.advance(timedelta(seconds=2))  # the old leader never finished: send it
    assert await sender.drain() == 1
    assert await texts(people) == ["Hej Kim!"]


async def test_a_slow_but_working_telegram_is_waited_for_not_doubled(
    services: Services, bot: Bot, people: SandboxClient, kim: int, clock: MovableClock
) -> None:
    row_id = await queue(services)
    await people.set_faults(delay_seconds=6.0)  # python-telegram-bot's own wait is 5 s
    assert await OutboxSender(services, bot, {}, on_blocked=blocked_the_bot).drain() == 1
    await people.set_faults()
    assert (await row(services, row_id)).status is OutboxStatus.SENT
    clock.advance(timedelta(minutes=5))
    assert await OutboxSender(services, bot, {}, on_blocked=blocked_the_bot).drain() == 0
    assert await texts(people) == ["Hej Kim!"]


async def test_a_send_past_its_time_out_counts_as_maybe_sent(
    services: Services, bot: Bot, people: SandboxClient, kim: int, clock: MovableClock
) -> None:
    """The trade-off: Telegram took it but answered too late; it is sent again rather
    than risk losing it, so this one message arrives twice."""
    impatient = Services(
        services.settings.model_copy(update={"outbox_send_timeout": 1.0}),
        clock,
        services.sessions,
    )
    row_id = await queue(services)
    await people.set_faults(delay_seconds=2.0)
    assert await OutboxSender(impatient, bot, {}, on_blocked=blocked_the_bot).drain() == 0
    await people.set_faults()
    maybe = await row(services, row_id)
    assert (maybe.status, maybe.attempts, maybe.last_error) == (
        OutboxStatus.PENDING, 1, "TimedOut",
    )  # fmt: skip
    await people.wait_for(KIM, lambda m: m.text == "Hej Kim!")  # it did arrive
    clock.advance(timedelta(seconds=10))
    assert await OutboxSender(impatient, bot, {}, on_blocked=blocked_the_bot).drain() == 1
    assert await texts(people) == ["Hej Kim!", "Hej Kim!"]
