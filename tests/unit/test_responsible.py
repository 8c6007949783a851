"""Who is responsible for a co-worker now: on duty per routing; outside the shifts the
first who is not away (primary, secondary, the group's staff); and what the co-worker
is told about their people."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from bot.context import Services
from bot.rules.clock import MovableClock
from bot.rules.localtime import local_moment
from bot.services.messages import responsible
from bot.services.people import rota
from storage.models import Absence, Person, Role
from storage.repos import organisation as org_repo
from storage.repos import people

WEEKDAYS_7_TO_16 = [(day, time(7, 0), time(16, 0)) for day in range(5)]


async def seed(services: Services) -> dict[str, int]:
    """Rutt 1: Anna (primary) and Bo (secondary) for Kim, Cia also on the staff; Bo and
    Cia work weekdays 07–16, Anna has no shifts."""
    async with services.sessions.begin() as session:
        group = await org_repo.add_group(session, "Rutt 1", None, services.now())
        made = {}
        for n, (name, role) in enumerate(
            [
                ("Anna", Role.SUPPORT),
                ("Bo", Role.SUPPORT),
                ("Cia", Role.SUPPORT),
                ("Kim", Role.COWORKER),
            ]
        ):
            person = await people.add_person(
                session,
                name=name,
                role=role,
                now=services.now(),
                group=group,
                telegram_user_id=6000 + n,
            )
            made[name] = person.id
        await org_repo.set_contacts(session, made["Kim"], made["Anna"], made["Bo"])
        for name in ("Bo", "Cia"):
            await rota.set_shifts(services, session, name, WEEKDAYS_7_TO_16)
    return made


async def away(services: Services, person_id: int, start: datetime, days: int = 1) -> None:
    async with services.sessions.begin() as session:
        session.add(
            Absence(person_id=person_id, starts_at=start, ends_at=start + timedelta(days=days))
        )


async def who(services: Services, kim: int) -> str | None:
    async with services.sessions() as session:
        coworker = await session.get_one(Person, kim)
        found = await responsible.responsible_now(services, session, coworker, services.now())
        return found.display_name if found else None


async def test_on_duty_the_routing_choice(services: Services, clock: MovableClock) -> None:
    made = await seed(services)
    clock.set(local_moment(services.today(), time(9, 0), services.zone))
    assert await who(services, made["Kim"]) == "Bo"  # Anna has no shift: Bo is on duty


async def test_outside_the_shifts_the_primary_unless_away(
    services: Services, clock: MovableClock
) -> None:
    made = await seed(services)
    evening = local_moment(services.today(), time(19, 0), services.zone)
    clock.set(evening)
    assert await who(services, made["Kim"]) == "Anna"
    await away(services, made["Anna"], evening - timedelta(hours=1))
    assert await who(services, made["Kim"]) == "Bo"
    await away(services, made["Bo"], evening - timedelta(hours=1))
    assert await who(services, made["Kim"]) == "Cia"  # the group's staff
    await away(services, made["Cia"], evening - timedelta(hours=1))
    assert await who(services, made["Kim"]) == "Anna"  # all away: somebody is still told


async def test_the_coworker_is_told_both_names_and_who_is_on_duty(
    services: Services, clock: MovableClock
) -> None:
    made = await seed(services)
    clock.set(local_moment(services.today(), time(9, 0), services.zone))
    async with services.sessions() as session:
        kim = await session.get_one(Person, made["Kim"])
        told = await responsible.contacts_of(services, session, kim, services.now())
    assert told.primary is not None and told.primary.display_name == "Anna"
    assert told.secondary is not None and told.secondary.display_name == "Bo"
    assert told.on_duty is not None and told.on_duty.display_name == "Bo"
