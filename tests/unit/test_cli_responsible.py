"""``vardag group responsible``: the admin who hears, last, of a red check-in nobody on
duty took; shown in ``group list``, cleared, and refused for someone not an admin."""

from __future__ import annotations

from sqlalchemy import select

from bot.context import Services
from storage.models import AuditEntry, Group, Role
from tests.unit.test_cli_org import Vardag, invite, vardag  # noqa: F401 - the fixture


async def test_set_show_clear_and_refuse(vardag: Vardag, services: Services) -> None:  # noqa: F811
    await vardag("group", "create", "Rutt 1")
    dan = await invite(services, Role.ADMIN, "Dan")
    anna = await invite(services, Role.SUPPORT, "Anna")

    assert await vardag("group", "responsible", "Rutt 1", "Dan") == (
        "Dan is now responsible for Rutt 1. Dan hears of a red answer nobody on duty takes.\n"
    )
    assert "  Responsible: Dan\n" in await vardag("group", "list")
    async with services.sessions() as session:
        group = await session.scalar(select(Group))
        audited = list(await session.scalars(select(AuditEntry.action)))
    assert group is not None and group.responsible_admin_id == dan
    assert "group.responsible_admin" in audited

    assert await vardag("group", "responsible", "#1") == (
        "Rutt 1 has nobody responsible. Every admin hears of a red answer nobody on duty takes.\n"
    )
    assert "Responsible" not in await vardag("group", "list")
    assert await vardag.refused("group", "responsible", "Rutt 1", f"#{anna}") == (
        "Anna is not an admin."
    )
    assert await vardag.refused("group", "responsible", "Rutt 9", "Dan") == (
        "There is no group Rutt 9. See them all with: vardag group list"
    )
