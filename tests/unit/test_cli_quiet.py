"""``vardag quiet``: staff see and set a co-worker's quiet hours; wrong input changes nothing."""

from __future__ import annotations

from datetime import time

from sqlalchemy import select

from bot.context import Services
from storage.models import AuditEntry, OutboxMessage, Person, Role
from tests.unit.test_cli_org import Vardag, invite, vardag  # noqa: F401 - the fixture


async def quiet_hours(services: Services, person_id: int) -> tuple[time, time]:
    async with services.sessions() as session:
        person = await session.get(Person, person_id)
        assert person is not None
        return person.quiet_start, person.quiet_end


async def test_staff_see_and_set_quiet_hours(vardag: Vardag, services: Services) -> None:  # noqa: F811
    kim = await invite(services, Role.COWORKER, "Kim")
    assert await vardag("quiet", "Kim") == "Kim: quiet from 20:00 to 07:00.\n"

    out = await vardag("quiet", "kim", "--from", "21:30", "--to", "06:45")
    assert out == "Kim: quiet from 21:30 to 06:45.\n"
    assert await quiet_hours(services, kim) == (time(21, 30), time(6, 45))
    assert (
        await vardag("quiet", f"#{kim}", "--from", "19:00") == "Kim: quiet from 19:00 to 06:45.\n"
    )

    async with services.sessions() as session:
        entries = list(await session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    quiet = [(e.action, e.detail, e.actor_id) for e in entries if e.action == "person.quiet"]
    assert quiet == [("person.quiet", "21:30-06:45", None), ("person.quiet", "19:00-06:45", None)]


async def test_wrong_quiet_hours_are_refused(vardag: Vardag, services: Services) -> None:  # noqa: F811
    kim = await invite(services, Role.COWORKER, "Kim")
    await invite(services, Role.SUPPORT, "Anna")
    assert await vardag.refused("quiet", "Kim", "--from", "25:00") == (
        "Unknown time: 25:00. Write for example 07:00."
    )
    assert await vardag.refused("quiet", "Kim", "--from", "07:00", "--to", "07:00") == (
        "The start and the end cannot be the same time."
    )
    assert "Anna" in await vardag.refused("quiet", "Anna", "--from", "21:00")
    assert "Nobody" in await vardag.refused("quiet", "Nobody", "--from", "21:00")
    assert await quiet_hours(services, kim) == (time(20, 0), time(7, 0))


async def test_quiet_hours_set_by_staff_over_a_promised_preview_tell_the_coworker(
    vardag: Vardag,  # noqa: F811
    services: Services,
) -> None:
    kim = await invite(services, Role.COWORKER, "Kim")
    async with services.sessions.begin() as session:
        person = await session.get_one(Person, kim)
        person.telegram_user_id, person.evening_preview = 5001, True
    await vardag("quiet", "Kim", "--from", "20:00")  # after the preview at 19:00: nothing
    await vardag("quiet", "Kim", "--from", "18:00")
    async with services.sessions() as session:
        rows = list(await session.scalars(select(OutboxMessage)))
    assert [(r.chat_id, r.payload["text"]) for r in rows] == [
        (
            5001,
            "Kvällens lista kommer klockan 19:00, och då har du lugnt. Därför får du ingen "
            "lista på kvällen. Din lista kommer som vanligt på morgonen.",
        )
    ]
