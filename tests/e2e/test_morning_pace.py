"""The morning at Telegram's pace, through the real Application and sender, against the
sandbox with Telegram's limits on (30 messages a second, one a second a chat with a
burst of three) and a round trip of 50 ms, so that several sends are in flight:
nothing lost, nothing doubled, no 429 from the sandbox, each chat's messages in the
order they were queued, a 429 with retry_after honoured, and a press answered while
the burst is still going."""

from __future__ import annotations

import asyncio
from datetime import time

from sqlalchemy import func, select

from bot.context import Services
from bot.outbox.sender import OutboxSender
from bot.rules.localtime import local_moment
from bot.sandbox.client import SandboxClient
from bot.sandbox.server import SandboxServer
from storage.models import OutboxMessage, OutboxStatus
from tests.e2e.conftest import RunningBot
from tests.e2e.test_delivery_faults import FIRST_ID, a_morning_for

ROUND_TRIP = 0.05


async def pending_rows(services: Services) -> int:
    async with services.sessions() as session:
        found = await session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.PENDING)
        )
        return int(found or 0)


async def morning_goes_out(bot: RunningBot) -> None:
    services = bot.services
    bot.clock.set(local_moment(services.today(), time(8, 0, 1), services.zone))


async def sent_rows(services: Services) -> int:
    async with services.sessions() as session:
        found = await session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.SENT)
        )
        return int(found or 0)


async def all_sent(services: Services, count: int) -> None:
    """Wait until the lists and morning questions of ``count`` co-workers are sent."""
    async with asyncio.timeout(120):
        while await sent_rows(services) < 2 * count:  # noqa: ASYNC110
            await asyncio.sleep(0.5)


def sender_of(bot: RunningBot) -> OutboxSender:
    sender: OutboxSender = bot.application.bot_data["sender"]
    return sender


async def received_in_order(services: Services, sandbox: SandboxServer, chats: range) -> None:
    """Each co-worker got the list once and the morning question once, in that order
    (the order the outbox queued them), and every row is recorded as sent."""
    for chat in chats:
        texts = [m.text for m in sandbox.state.messages(chat) if m.from_bot]
        assert len(texts) == 2, (chat, texts)
        assert texts[0].startswith("God morgon"), (chat, texts)
    async with services.sessions() as session:
        rows = (
            await session.execute(
                select(
                    OutboxMessage.chat_id, OutboxMessage.telegram_message_id, OutboxMessage.status
                ).order_by(OutboxMessage.id)
            )
        ).all()
    assert {status for _, _, status in rows} == {OutboxStatus.SENT}
    by_chat: dict[int, list[int]] = {}
    for chat_id, message_id, _ in rows:
        by_chat.setdefault(chat_id, []).append(message_id)
    assert all(ids == sorted(ids) for ids in by_chat.values())


async def test_the_morning_at_the_new_rate_loses_nothing_doubles_nothing_and_gets_no_429(
    running_bot: RunningBot, people: SandboxClient, sandbox: SandboxServer
) -> None:
    count = 60
    await a_morning_for(running_bot.services, sandbox, count)
    await people.set_faults(delay_seconds=ROUND_TRIP)

    await morning_goes_out(running_bot)
    await all_sent(running_bot.services, count)

    await received_in_order(running_bot.services, sandbox, range(FIRST_ID, FIRST_ID + count))
    assert (await people.stats())["rate_limited"] == 0
    assert sender_of(running_bot).window.peak >= 2  # several in flight at once


async def test_a_429_with_retry_after_is_honoured_and_nothing_is_lost(
    running_bot: RunningBot, people: SandboxClient, sandbox: SandboxServer
) -> None:
    count = 30
    await a_morning_for(running_bot.services, sandbox, count)
    await people.set_faults(rate_429=0.1, methods=["sendMessage"], delay_seconds=ROUND_TRIP)

    await morning_goes_out(running_bot)
    await all_sent(running_bot.services, count)

    await received_in_order(running_bot.services, sandbox, range(FIRST_ID, FIRST_ID + count))
    stats = await people.stats()
    assert stats["faults"]["429"] >= 1  # the sandbox did say "retry after 1"
    assert sender_of(running_bot).pace.refusals == stats["faults"]["429"]
    assert stats["rate_limited"] == 0  # and the pause kept the real limits


async def test_a_press_is_answered_while_the_burst_is_still_going(
    running_bot: RunningBot, people: SandboxClient, sandbox: SandboxServer
) -> None:
    count = 150
    await a_morning_for(running_bot.services, sandbox, count)
    await people.set_faults(delay_seconds=ROUND_TRIP)
    first, last = FIRST_ID, FIRST_ID + count - 1

    await morning_goes_out(running_bot)
    morning = await people.wait_for(first, lambda m: m.text.startswith("God morgon"), 60)
    label = next(b for b in morning.buttons() if b.startswith("1."))
    answer = await people.wait_for_answer(
        await people.press(first, morning.message_id, text=label), 60
    )

    assert answer["answered"]
    assert not any(m.from_bot for m in sandbox.state.messages(last))  # still to come
    assert await pending_rows(running_bot.services) > 0
    await all_sent(running_bot.services, count)
    # The first chat also has the card the press opened.
    await received_in_order(running_bot.services, sandbox, range(first + 1, last + 1))
