"""A group for the safety-net tests: Kim (co-worker, with a list today), Anna (first
contact person), Bo (second) and Cia (group staff), all on duty on weekdays 07–16 unless
told otherwise; Dan (the group's responsible admin) and Eva (another admin). Everyone
has opened the chat with the bot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import select

from bot.rules.localtime import local_moment
from bot.sandbox.client import SandboxClient
from storage.models import DutyShift, HelpRequest, Person, Role
from storage.repos import organisation as org_repo
from storage.repos import people as people_repo
from storage.repos import rota as rota_repo
from tests.e2e.conftest import RunningBot
from tests.e2e.helpers import coworker_with_plan

KIM, ANNA, BO, CIA, DAN, EVA = 1001, 2001, 2002, 2003, 3001, 3002
PHONE = "08-123 45 67"
ON_IT = "✋ Jag tar det"
SEVEN_TO_FOUR = ((time(7), time(16)),)


@dataclass
class Route:
    ids: dict[str, int]  # name -> person id


async def a_route(
    bot: RunningBot,
    people: SandboxClient,
    *,
    admins: tuple[str, ...] = ("Dan", "Eva"),
    responsible: str | None = "Dan",
    shifts: dict[str, tuple[tuple[time, time], ...]] | None = None,
    titles: tuple[str, ...] = ("Vattna blommorna",),
) -> Route:
    services = bot.services
    hours = {"Anna": SEVEN_TO_FOUR, "Bo": SEVEN_TO_FOUR, "Cia": SEVEN_TO_FOUR} | (shifts or {})
    kim, _ = await coworker_with_plan(
        services, name="Kim", telegram_id=KIM, day=services.today(), titles=titles
    )
    ids = {"Kim": kim.id}
    users = {"Anna": ANNA, "Bo": BO, "Cia": CIA, "Dan": DAN, "Eva": EVA}
    async with services.sessions.begin() as session:
        group = await org_repo.add_group(session, "Rutt 1", PHONE, services.now())
        for name in ("Anna", "Bo", "Cia", *admins):
            role = Role.ADMIN if name in ("Dan", "Eva") else Role.SUPPORT
            person = await people_repo.add_person(
                session,
                name=name,
                role=role,
                now=services.now(),
                group=group if role is Role.SUPPORT else None,
                telegram_user_id=users[name],
            )
            ids[name] = person.id
            await rota_repo.add_shifts(
                session,
                [
                    DutyShift(person_id=person.id, weekday=day, start_time=start, end_time=end)
                    for day in range(5)
                    for start, end in hours.get(name, ())
                ],
            )
        stored = await session.get_one(Person, kim.id)
        stored.group_id = group.id
        await org_repo.set_contacts(session, kim.id, ids["Anna"], ids["Bo"])
        if responsible is not None:
            group.responsible_admin_id = ids[responsible]
    for name, user in {"Kim": KIM, **users}.items():
        await people.add_user(user, name, started=True)
    await people.set_limits(chat_per_second=50, chat_burst=50)
    return Route(ids)


def at(bot: RunningBot, hour: int, minute: int = 0, second: int = 0, days: int = 0) -> None:
    services = bot.services
    day = services.today() + timedelta(days=days)
    bot.clock.set(local_moment(day, time(hour, minute, second), services.zone))


async def requests(bot: RunningBot) -> list[HelpRequest]:
    async with bot.services.sessions() as session:
        return list(await session.scalars(select(HelpRequest).order_by(HelpRequest.id)))


async def next_step(bot: RunningBot) -> datetime:
    """Move the clock a second past the open request's next step; returns that moment."""
    (request,) = [r for r in await requests(bot) if r.next_step_at is not None]
    assert request.next_step_at is not None
    bot.clock.set(request.next_step_at + timedelta(seconds=1))
    return request.next_step_at
