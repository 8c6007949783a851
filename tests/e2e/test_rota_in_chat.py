"""A support person keeps their own rota in chat: hours, away, back, and who is on duty."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import select

from bot.rules.localtime import local_moment
from bot.sandbox.client import SandboxClient
from bot.services.people import rota
from storage.models import Absence, AuditEntry, Role
from tests.e2e.conftest import RunningBot
from tests.e2e.test_invite_in_chat import say
from tests.e2e.test_joining import invite, join

ANNA, KIM = 2001, 1001


async def test_rota_away_back_and_duty(running_bot: RunningBot, people: SandboxClient) -> None:
    services = running_bot.services
    anna = await invite(services, Role.SUPPORT, "Anna", group="Rutt 1")
    await join(people, ANNA, "Anna", anna.code)

    assert (await say(people, ANNA, "/rota")).startswith("Du har inga tider i schemat än.")
    assert await say(people, ANNA, "/rota mon-fri 07:00-16:00") == (
        "Ditt schema:\nmåndag 07:00–16:00\ntisdag 07:00–16:00\nonsdag 07:00–16:00\n"
        "torsdag 07:00–16:00\nfredag 07:00–16:00"
    )
    assert (await say(people, ANNA, "/rota mon-xyz 07:00-16:00")).startswith("Okända dagar")
    # 06:00 on Tuesday 24 November: before the shift.
    assert await say(people, ANNA, "/duty") == (
        "Rutt 1: ingen har tjänst nu. Nästa: tisdag 24 november 07:00."
    )
    running_bot.clock.set(local_moment(services.today(), time(8, 0), services.zone))
    assert await say(people, ANNA, "/duty") == "Rutt 1: Anna har tjänst nu."

    assert await say(people, ANNA, "/away") == (
        "Du är borta från tisdag 24 november till och med tisdag 24 november. "
        "Dina medarbetare får hjälp av den som har tjänst."
    )
    assert await say(people, ANNA, "/duty") == (
        "Rutt 1: ingen har tjänst nu. Nästa: onsdag 25 november 07:00."
    )
    assert await say(people, ANNA, "/back") == (
        "Välkommen tillbaka! Du har tjänst enligt ditt schema igen."
    )
    assert await say(people, ANNA, "/duty") == "Rutt 1: Anna har tjänst nu."
    assert await say(people, ANNA, "/back") == "Anna är inte borta just nu."

    assert (await say(people, ANNA, "/away semester")).startswith("Skriv /away för idag")
    assert (await say(people, ANNA, "/away 2026-12-21 2026-12-23 semester")).startswith(
        "Du är borta från måndag 21 december till och med onsdag 23 december."
    )
    async with services.sessions() as session:
        absences = list(await session.scalars(select(Absence).order_by(Absence.id)))
        audits = [a.action for a in await session.scalars(select(AuditEntry))]
    assert [a.reason for a in absences] == [None, "semester"]
    assert audits.count("rota.away") == 2


async def test_a_coworker_has_no_rota(running_bot: RunningBot, people: SandboxClient) -> None:
    kim = await invite(running_bot.services, Role.COWORKER, "Kim")
    await join(people, KIM, "Kim", kim.code)
    for command in ("/duty", "/away", "/back", "/rota"):
        assert await say(people, KIM, command) == "Det här kan bara personal göra."


async def test_who_is_on_duty_across_a_christmas_week(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    """Two support persons with different hours, one away, over 21–28 December 2026."""
    services = running_bot.services
    anna = await invite(services, Role.SUPPORT, "Anna", group="Rutt 1")
    await join(people, ANNA, "Anna", anna.code)
    johan = await invite(services, Role.SUPPORT, "Johan", group="Rutt 1")
    async with services.sessions.begin() as session:
        await rota.set_shifts(
            services, session, f"#{johan.person.id}", [(d, time(12), time(20)) for d in range(5)]
        )
    await say(people, ANNA, "/rota mon-fri 07:00-16:00")
    await say(people, ANNA, "/away 2026-12-22")

    def at(day: int, hour: int) -> None:
        running_bot.clock.set(local_moment(date(2026, 12, day), time(hour), services.zone))

    expected = [
        ((21, 8), "Rutt 1: Anna har tjänst nu."),  # Monday
        ((21, 13), "Rutt 1: Anna, Johan har tjänst nu."),
        ((21, 18), "Rutt 1: Johan har tjänst nu."),
        ((22, 8), "Rutt 1: ingen har tjänst nu. Nästa: tisdag 22 december 12:00."),  # Anna away
        ((22, 13), "Rutt 1: Johan har tjänst nu."),
        ((24, 8), "Rutt 1: Anna har tjänst nu."),  # Christmas Eve is a working day here
        ((25, 9), "Rutt 1: ingen har tjänst nu. Nästa: måndag 28 december 07:00."),  # holiday
        ((27, 12), "Rutt 1: ingen har tjänst nu. Nästa: måndag 28 december 07:00."),  # Sunday
        ((28, 7), "Rutt 1: Anna har tjänst nu."),
    ]
    for (day, hour), answer in expected:
        at(day, hour)
        assert await say(people, ANNA, "/duty") == answer, (day, hour)
