"""``vardag plan capacity … --weekday``: a weekday's own stamina on the command line, shown
in plain words, audited, used when drafting that weekday, and undone with ``--usual``."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.context import Services
from bot.services.catalogue.importer import import_catalogue
from bot.services.catalogue.parse import parse_catalogue
from bot.services.people import invites
from bot.services.people.organisation import find_coworker
from storage.models import AuditEntry, Role
from tests.unit.test_cli_org import Vardag
from tests.unit.test_cli_plan import CATALOGUE, vardag

__all__ = ["vardag"]  # the fixture

MONDAY, TUESDAY = "2026-11-30", "2026-12-01"


async def test_a_lighter_monday_on_the_command_line(vardag: Vardag, services: Services) -> None:
    async with services.sessions.begin() as session:
        await invites.create_invite(
            services, session, role=Role.COWORKER, name="Kim", group_name="Rutt 1"
        )
        await import_catalogue(services, session, parse_catalogue(CATALOGUE), author=None)
    for day in (MONDAY, TUESDAY):  # Packa kaffe is heavy (3), Vattna blommorna light (1)
        for title in ("Packa kaffe", "Vattna blommorna"):
            await vardag("plan", "once", "Kim", title, "--date", day)

    assert await vardag("plan", "capacity", "Kim", "3", "--weekday", "måndag") == (
        "Kim: usual day (6 points a day).\nOn a Monday: light day (3 points).\n"
    )
    for day in (MONDAY, TUESDAY):
        await vardag("plan", "draft", "Kim", "--date", day)
    monday = await vardag("plan", "show", "Kim", "--date", MONDAY)
    tuesday = await vardag("plan", "show", "Kim", "--date", TUESDAY)
    assert "Vattna blommorna" in monday and "Packa kaffe" not in monday
    assert "Vattna blommorna" in tuesday and "Packa kaffe" in tuesday

    assert await vardag("plan", "capacity", "Kim", "--weekday", "mon", "--usual") == (
        "Kim: usual day (6 points a day).\n"
    )
    assert await vardag.refused("plan", "capacity", "Kim", "3", "--weekday", "funday") == (
        "I do not know the weekday funday. Write for example mon or monday."
    )
    assert await vardag.refused("plan", "capacity", "Kim", "20", "--weekday", "mon") == (
        "Stamina is a number from 1 to 12."
    )
    assert (await vardag.refused("plan", "capacity", "Kim", "--usual")).startswith(
        "--usual is for one weekday"
    )
    async with services.sessions() as session:
        kim = await find_coworker(session, "Kim")
        details = list(
            await session.scalars(
                select(AuditEntry.detail)
                .where(AuditEntry.action == "plan.capacity_weekday")
                .order_by(AuditEntry.id)
            )
        )
    assert details == ["mon: usual -> 3", "mon: 3 -> usual"]
    assert kim.weekday_capacity is None
    assert kim.capacity_on(date.fromisoformat(MONDAY)) == kim.capacity == 6
