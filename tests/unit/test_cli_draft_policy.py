"""``vardag group drafts GROUP send|wait``: whether a group's unapproved lists go out."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.context import Services
from storage.models import AuditEntry, Group
from tests.conftest import Database
from tests.unit.test_cli_org import Vardag

WAITS = "  Lists: wait for approval before they are sent"


@pytest.fixture
def vardag(database: Database, monkeypatch: pytest.MonkeyPatch) -> Vardag:
    return Vardag(database, monkeypatch)


async def sends_drafts(services: Services) -> bool:
    async with services.sessions() as session:
        group = await session.scalar(select(Group))
    assert group is not None
    return group.send_unapproved_drafts


async def test_wait_then_send_again(vardag: Vardag, services: Services) -> None:
    await vardag("group", "create", "Rutt 1")
    assert await sends_drafts(services)
    assert WAITS not in await vardag("group", "list")

    out = await vardag("group", "drafts", "rutt 1", "wait")
    assert out == (
        "In Rutt 1, the list waits for approval before it is sent. "
        "The contact person is told in the morning when a list is waiting.\n"
    )
    assert not await sends_drafts(services)
    assert await vardag("group", "list") == f"#1 Rutt 1\n{WAITS}\n  Staff: nobody\n" + (
        "  Co-workers: nobody\n"
    )

    out = await vardag("group", "drafts", "#1", "SEND")
    assert out == "In Rutt 1, the list goes out in the morning as it is, even without approval.\n"
    assert await sends_drafts(services)
    assert WAITS not in await vardag("group", "list")

    async with services.sessions() as session:
        audit = list(
            await session.scalars(
                select(AuditEntry)
                .where(AuditEntry.action == "group.draft_policy")
                .order_by(AuditEntry.id)
            )
        )
    assert [(a.actor_id, a.subject_id, a.detail) for a in audit] == [
        (None, None, "Rutt 1: wait"),
        (None, None, "Rutt 1: send"),
    ]


async def test_an_unknown_group_or_policy_is_one_clear_line(
    vardag: Vardag, services: Services
) -> None:
    await vardag("group", "create", "Rutt 1")
    assert await vardag.refused("group", "drafts", "Rutt 9", "wait") == (
        "There is no group Rutt 9. See them all with: vardag group list"
    )
    assert await vardag.refused("group", "drafts", "Rutt 1", "maybe") == (
        "Write send (send the draft) or wait (wait for approval), not maybe."
    )
    assert await sends_drafts(services)
    async with services.sessions() as session:
        assert await session.scalar(select(AuditEntry)) is None
