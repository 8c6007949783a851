"""The promised first list: due on the first working morning; a day that passed while the
bot could not act moves to the next working morning instead of a late "good morning"."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import select

from bot.context import Services
from bot.rules.clock import MovableClock
from bot.rules.localtime import local_moment
from bot.services import promises
from bot.services.safety_net import first_list
from storage.models import OutboxMessage, Promise, Role
from storage.repos import organisation as org_repo
from storage.repos import people

TUESDAY, THURSDAY, FRIDAY = date(2026, 11, 24), date(2026, 11, 26), date(2026, 11, 27)


async def kim_joined(services: Services) -> int:
    """Kim (Rutt 1, Anna on its staff) is promised the list at 08:00; it is Tuesday 06:00."""
    async with services.sessions.begin() as session:
        group = await org_repo.add_group(session, "Rutt 1", None, services.now())
        await people.add_person(
            session,
            name="Anna",
            role=Role.SUPPORT,
            now=services.now(),
            group=group,
            telegram_user_id=6001,
        )
        kim = await people.add_person(
            session,
            name="Kim",
            role=Role.COWORKER,
            now=services.now(),
            group=group,
            telegram_user_id=5001,
        )
        kim.morning_time = time(8, 0)
        promise = await first_list.promise_first_list(services, session, kim)
        assert promise.data == {"day": TUESDAY.isoformat()}
        assert promise.due_at == local_moment(TUESDAY, time(8, 0), services.zone)
        return kim.id


async def the_promise(services: Services) -> Promise:
    async with services.sessions() as session:
        found = await session.scalar(select(Promise))
    assert found is not None
    return found


async def texts(services: Services) -> list[tuple[int, str]]:
    async with services.sessions() as session:
        rows = await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        return [(r.chat_id, r.payload["text"]) for r in rows]


async def test_no_list_on_the_first_morning_both_are_told(
    services: Services, clock: MovableClock
) -> None:
    await kim_joined(services)
    clock.set(local_moment(TUESDAY, time(8, 0, 1), services.zone))
    assert await promises.run_due(services) == 1
    assert await texts(services) == [
        (
            5001,
            "God morgon Kim! Din första lista är inte klar än. "
            "Anna vet om det och hör av sig till dig.",
        ),
        (
            6001,
            "Kim är ny i Vardag och har ingen lista idag. Kim har fått veta att listan "
            "inte är klar än. Gör en plan med /plan.",
        ),
    ]
    assert (await the_promise(services)).outcome == "no_list coworker staff:1"


async def test_a_day_that_passed_moves_to_the_next_working_morning(
    services: Services, clock: MovableClock
) -> None:
    await kim_joined(services)
    clock.set(local_moment(THURSDAY, time(10, 0), services.zone))
    assert await promises.run_due(services) == 0
    moved = await the_promise(services)
    assert moved.closed_at is None and moved.data == {"day": FRIDAY.isoformat()}
    assert moved.due_at == local_moment(FRIDAY, time(8, 0), services.zone)
    assert moved.outcome == f"day_passed moved_to:{FRIDAY.isoformat()}"
    assert await texts(services) == []  # no "good morning" on a Thursday at ten
