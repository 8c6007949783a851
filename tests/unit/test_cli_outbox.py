"""``vardag outbox``: the admin sees what could not be sent (never its text) and sends it again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.context import Services
from storage.models import OutboxMessage, OutboxStatus, Role
from storage.repos import outbox as outbox_repo
from storage.repos import people
from tests.conftest import Database
from tests.unit.test_cli_org import Vardag


@pytest.fixture
def vardag(database: Database, monkeypatch: pytest.MonkeyPatch) -> Vardag:
    return Vardag(database, monkeypatch)


async def a_queue(services: Services) -> None:
    """Four messages to Kim, queued at 05:00 local (an hour before the clock): one
    waiting, one sent, two given up on."""
    now = services.now()
    async with services.sessions.begin() as session:
        kim = await people.add_person(session, name="Kim", role=Role.COWORKER, now=now)
        for key in ("waiting", "sent", "dead-1", "dead-2"):
            await outbox_repo.enqueue(
                session,
                key=key,
                chat_id=5001,
                person_id=kim.id,
                kind="morning_list",
                payload={"text": "Hemligt innehåll"},
                now=now - timedelta(hours=1),
            )
        rows = {r.idempotency_key: r for r in await session.scalars(select(OutboxMessage))}
        rows["sent"].status = OutboxStatus.SENT
        for key, error in (("dead-1", "400: chat not found"), ("dead-2", "TimedOut")):
            rows[key].status = OutboxStatus.DEAD
            rows[key].attempts = 8
            rows[key].last_error = error


async def statuses(services: Services) -> dict[str, tuple[OutboxStatus, int]]:
    async with services.sessions() as session:
        rows = await session.scalars(select(OutboxMessage))
        return {r.idempotency_key: (r.status, r.attempts) for r in rows}


async def test_dead_letters_are_listed_without_their_text(
    vardag: Vardag, services: Services
) -> None:
    await a_queue(services)
    out = await vardag("outbox", "list")
    assert out.splitlines() == [
        "Outbox: 1 waiting, 1 sent, 2 could not be sent, 0 too late (dropped).",
        "#4 morning_list to Kim, 2026-11-24 05:00, 8 attempts: TimedOut",
        "#3 morning_list to Kim, 2026-11-24 05:00, 8 attempts: 400: chat not found",
        "Send again with: vardag outbox retry ID … (or --all)",
    ]
    assert "Hemligt" not in out


async def test_retry_one_then_all(vardag: Vardag, services: Services) -> None:
    await a_queue(services)
    assert await vardag("outbox", "retry", "3") == "1 messages will be sent again.\n"
    assert (await statuses(services))["dead-1"] == (OutboxStatus.PENDING, 0)
    assert (await statuses(services))["dead-2"] == (OutboxStatus.DEAD, 8)
    assert await vardag("outbox", "retry", "--all") == "1 messages will be sent again.\n"
    assert await vardag("outbox", "retry", "1") == "0 messages will be sent again.\n"
    assert await statuses(services) == {
        "waiting": (OutboxStatus.PENDING, 0),
        "sent": (OutboxStatus.SENT, 0),
        "dead-1": (OutboxStatus.PENDING, 0),
        "dead-2": (OutboxStatus.PENDING, 0),
    }
    assert (await vardag("outbox", "list")).splitlines()[1] == "No messages are stuck."


async def test_retry_needs_an_id_or_all(vardag: Vardag) -> None:
    assert await vardag.refused("outbox", "retry") == (
        "Name the messages to send again (ID), or use --all for all of them."
    )
