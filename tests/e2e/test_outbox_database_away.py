"""The database away, for the sender only, longer than its claim's lease: the message
Telegram took is recorded once the database is back, and a new leader waits a moment
(``TAKEOVER_GRACE_SECONDS``) before it takes a row an earlier term claimed, so the
message arrives once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot

from bot.context import Services
from bot.outbox.outcome import RECORD_RETRY_SECONDS
from bot.outbox.sender import LEASE_MARGIN_SECONDS, OutboxSender
from bot.rules.clock import MovableClock
from bot.sandbox.client import SandboxClient
from bot.sandbox.server import SandboxServer
from bot.services.people.reachability import blocked_the_bot
from storage.models import OutboxStatus
from tests.conftest import TEST_TOKEN
from tests.e2e.test_outbox_fencing import term_is
from tests.e2e.test_outbox_sender import KIM, queue, row


class Away:
    """A session factory that can be cut off: while ``away`` nothing reaches the
    database, as when the connection to it is gone."""

    def __init__(self, sessions: Any) -> None:
        self._sessions = sessions
        self.away = False
        self.refused = 0

    def begin(self) -> AbstractAsyncContextManager[AsyncSession]:
        if self.away:
            self.refused += 1
            raise ConnectionRefusedError("the database is away")
        began: AbstractAsyncContextManager[AsyncSession] = self._sessions.begin()
        return began


@pytest.fixture
async def bot(sandbox: SandboxServer, people: SandboxClient) -> AsyncIterator[Bot]:
    await people.add_user(KIM, "Kim")
    await people.send_text(KIM, "hej")
    async with Bot(TEST_TOKEN, base_url=f"{sandbox.url}/bot") as bot:
        yield bot


async def soon(condition: Callable[[], Awaitable[bool]], seconds: float = 30) -> None:
    async with asyncio.timeout(seconds):
        while not await condition():  # noqa: ASYNC110
            await asyncio.sleep(0.02)


async def test_recorded_after_its_lease_and_not_sent_again(
    services: Services, bot: Bot, people: SandboxClient, clock: MovableClock
) -> None:
    settings = services.settings.model_copy(update={"outbox_send_timeout": 2.0})
    lease = settings.outbox_send_timeout + LEASE_MARGIN_SECONDS
    away = Away(services.sessions)
    away_services = Services(settings, clock, away)  # type: ignore[arg-type]
    old = OutboxSender(away_services, bot, {}, on_blocked=blocked_the_bot)
    old.fence()
    await term_is(services, 1)
    old.lead(1)
    row_id = await queue(services)
    await people.set_faults(delay_seconds=1.0)  # Telegram takes it, and answers after 1 s

    sending = asyncio.create_task(old.drain())

    async def claimed() -> bool:
        return (await row(services, row_id)).claimed_term == 1

    await soon(claimed)
    away.away = True  # the old leader's database goes, with the message in flight

    async def arrived() -> bool:
        return [m.text for m in await people.bot_messages(KIM)] == ["Hej Kim!"]

    await soon(arrived)

    async def past_the_lease() -> bool:  # it keeps trying to record it
        return away.refused * RECORD_RETRY_SECONDS > lease + 1

    await soon(past_the_lease)
    assert not sending.done()

    # Every instance had lost the database; it comes back, and a new term begins.
    clock.advance(timedelta(seconds=lease + 1))  # the claim's lease has run out
    await term_is(services, 2)
    new = OutboxSender(services, bot, {}, on_blocked=blocked_the_bot)
    new.fence()
    new.lead(2)
    taking_over = asyncio.create_task(new.drain())
    away.away = False
    assert await asyncio.wait_for(sending, 30) == 1  # recorded at last
    assert await asyncio.wait_for(taking_over, 30) == 0  # and so not sent again

    recorded = await row(services, row_id)
    assert (recorded.status, recorded.claimed_term) == (OutboxStatus.SENT, 1)
    assert [m.text for m in await people.bot_messages(KIM)] == ["Hej Kim!"]
