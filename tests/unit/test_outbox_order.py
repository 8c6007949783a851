"""What the sender takes next (storage/repos/outbox.due): a person's words and calls for
help before the morning's broadcast, and in each chat only its oldest pending message,
also while that one waits for a retry."""

from __future__ import annotations

from datetime import timedelta

from bot.context import Services
from storage.models import OutboxMessage
from storage.repos import outbox as outbox_repo


async def queue(services: Services, key: str, chat_id: int, kind: str) -> None:
    async with services.sessions.begin() as session:
        await outbox_repo.enqueue(
            session, key=key, chat_id=chat_id, person_id=None, kind=kind,
            payload={"text": key}, now=services.now(),
        )  # fmt: skip


async def due_keys(services: Services, limit: int) -> list[str]:
    async with services.sessions() as session:
        rows = await outbox_repo.due(session, services.now(), limit)
    return [row.idempotency_key for row in rows]


async def test_a_call_for_help_goes_before_the_morning_broadcast(services: Services) -> None:
    for n in range(20):
        await queue(services, f"morning:{n}", 1000 + n, "morning_list")
    await queue(services, "help", 5000, "help_request")

    assert (await due_keys(services, 5)) == ["help", *(f"morning:{n}" for n in range(4))]


async def test_a_chat_s_later_message_waits_for_its_earlier_one(services: Services) -> None:
    await queue(services, "list", 1000, "morning_list")
    await queue(services, "question", 1000, "checkin")
    await queue(services, "other", 2000, "morning_list")
    assert await due_keys(services, 10) == ["list", "other"]

    async with services.sessions.begin() as session:  # the list waits for a retry
        row = await outbox_repo.by_key(session, "list")
        assert isinstance(row, OutboxMessage)
        row.next_attempt_at = services.now() + timedelta(minutes=1)
    assert await due_keys(services, 10) == ["other"]  # not the question before the list
