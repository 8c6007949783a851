"""The outbox sender against the sandbox's real HTTP answers: 5xx and 429 are retried,
403 marks the person unreachable, 400 and stale messages are recorded, never lost."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select
from telegram import Bot

from bot.context import Services
from bot.outbox.sender import OutboxSender
from bot.rules.clock import MovableClock
from bot.sandbox.client import SandboxClient
from bot.sandbox.server import SandboxServer
from bot.services.people.reachability import blocked_the_bot
from storage.models import OutboxMessage, OutboxStatus, Person, Role
from storage.repos import outbox as outbox_repo
from storage.repos import people as people_repo
from storage.repos.organisation import persons_named
from tests.conftest import TEST_TOKEN

KIM = 1001


@pytest.fixture
async def sender(sandbox: SandboxServer, services: Services) -> AsyncIterator[OutboxSender]:
    async with Bot(TEST_TOKEN, base_url=f"{sandbox.url}/bot") as bot:
        yield OutboxSender(services, bot, {}, on_blocked=blocked_the_bot)


async def queue(services: Services, text: str = "Hej Kim!", **extra: object) -> int:
    async with services.sessions.begin() as session:
        kim = (await persons_named(session, "Kim")) or [
            await people_repo.add_person(
                session,
                name="Kim",
                role=Role.COWORKER,
                now=services.now(),
                telegram_user_id=KIM,
            )
        ]
        await outbox_repo.enqueue(
            session,
            key=f"test:{text[:40]}",
            chat_id=KIM,
            person_id=kim[0].id,
            kind="test",
            payload={"text": text, "buttons": []},
            now=services.now(),
            **extra,  # type: ignore[arg-type]
        )
        row = await outbox_repo.by_key(session, f"test:{text[:40]}")
        assert row is not None
        return row.id


async def row(services: Services, row_id: int) -> OutboxMessage:
    async with services.sessions() as session:
        found = await session.get(OutboxMessage, row_id)
    assert found is not None
    return found


async def test_server_errors_are_retried_until_sent_once(
    sender: OutboxSender, services: Services, people: SandboxClient, clock: MovableClock
) -> None:
    await people.add_user(KIM, "Kim")
    await people.send_text(KIM, "hej")
    row_id = await queue(services)
    await people.set_faults(rate_500=1.0)
    assert await sender.drain() == 0
    failed = await row(services, row_id)
    assert failed.status is OutboxStatus.PENDING and failed.attempts == 1
    assert failed.next_attempt_at > clock.now()
    assert await people.bot_messages(KIM) == []

    await people.set_faults(rate_500=0.0)
    assert await sender.drain() == 0  # not due yet: the back-off is honoured
    clock.advance(timedelta(seconds=10))
    assert await sender.drain() == 1
    sent = await row(services, row_id)
    assert sent.status is OutboxStatus.SENT and sent.telegram_message_id is not None
    assert [m.text for m in await people.bot_messages(KIM)] == ["Hej Kim!"]


async def test_too_many_requests_waits_retry_after(
    sender: OutboxSender, services: Services, people: SandboxClient, clock: MovableClock
) -> None:
    await people.add_user(KIM, "Kim")
    await people.send_text(KIM, "hej")
    row_id = await queue(services)
    await people.set_faults(rate_429=1.0)
    await sender.drain()
    waiting = await row(services, row_id)
    assert waiting.status is OutboxStatus.PENDING and waiting.last_error == "429"
    assert timedelta(0) < waiting.next_attempt_at - clock.now() <= timedelta(seconds=2)
    await people.set_faults(rate_429=0.0)
    clock.advance(timedelta(seconds=2))
    assert await sender.drain() == 1


async def test_blocked_person_is_marked_unreachable(
    sender: OutboxSender, services: Services, people: SandboxClient
) -> None:
    await people.add_user(KIM, "Kim")
    await people.send_text(KIM, "hej")
    await people.block(KIM)
    row_id = await queue(services)
    await sender.drain()
    dead = await row(services, row_id)
    assert dead.status is OutboxStatus.DEAD and dead.last_error is not None
    assert dead.last_error.startswith("403")
    async with services.sessions() as session:
        kim = await session.scalar(select(Person).where(Person.telegram_user_id == KIM))
    assert kim is not None and kim.unreachable


async def test_bad_request_becomes_a_dead_letter_with_the_reason(
    sender: OutboxSender, services: Services, people: SandboxClient
) -> None:
    await people.add_user(KIM, "Kim")
    await people.send_text(KIM, "hej")
    row_id = await queue(services, text="x" * 5000)
    await sender.drain()
    dead = await row(services, row_id)
    assert dead.status is OutboxStatus.DEAD
    assert dead.last_error == "400: Message is too long"


async def test_a_message_no_longer_useful_is_dropped_with_a_record(
    sender: OutboxSender, services: Services, people: SandboxClient, clock: MovableClock
) -> None:
    await people.add_user(KIM, "Kim")
    await people.send_text(KIM, "hej")
    row_id = await queue(services, useful_until=clock.now() + timedelta(minutes=5))
    clock.advance(timedelta(hours=1))
    await sender.drain()
    dropped = await row(services, row_id)
    assert dropped.status is OutboxStatus.DROPPED and dropped.last_error == "no longer useful"
    assert await people.bot_messages(KIM) == []
