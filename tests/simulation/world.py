"""The simulated world: two groups, eight co-workers, four support persons and their
responsible admin, and what they do, day by day, drawn from one seeded random stream.

* Rutt 1 (Kim, Lo, Mo, Nils, Omar) waits for approval (``vardag group drafts … wait``);
  Rutt 2 (Pia, Rut, Sam) gets its drafts as they are. Anna, Bo, Cia work in Rutt 1,
  Dora in Rutt 2; Cia is also the second contact person of Rutt 2's co-workers. Dan is
  the admin responsible for both groups.
* The rota: weekdays, Anna and Bo 07–16, Cia 10–19, Dora 07–15. Swedish public holidays
  are days off (the product's own calendar).
* Each co-worker has a task on most working days, planned ahead as staff would.
* Staff take holidays (a few working days, known ahead) and call in sick on the day.
* Rutt 1's lists are approved in the evening, late in the morning, too late, or never.
* Co-workers answer the morning check-in red, ask for help and write messages at random
  hours (messages on any day); staff press "✋ Jag tar det" on an alert after a while, or
  never.

Every action goes through the sandbox as the person (a message, a press), except the
staff's planning, approvals and absences, which call the services the doors call.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.rules.localtime import local_moment
from bot.rules.working_days import is_day_off
from bot.sandbox.keyboards import inline_rows
from bot.sandbox.models import Message
from bot.services.day import checkins, escalation
from bot.services.messages.responsible import away_ids
from bot.services.people import rota as rota_service
from bot.services.planning import plans as planning
from bot.services.planning import review
from bot.services.safety_net import held_lists
from storage.models import (
    DayPlan,
    OutboxMessage,
    OutboxStatus,
    Person,
    PlanStatus,
    Role,
    TaskTemplate,
)
from storage.repos import organisation as org_repo
from storage.repos import outbox as outbox_repo
from storage.repos import people as people_repo
from storage.repos import plans as plan_repo
from tests.simulation.builders import add_coworker, add_staff
from tests.simulation.harness import Bot

Action = Callable[[], Awaitable[None]]

WAITING_GROUP, SENDING_GROUP = "Rutt 1", "Rutt 2"
COWORKERS = {  # name: (group, primary, secondary)
    "Kim": (WAITING_GROUP, "Anna", "Bo"),
    "Lo": (WAITING_GROUP, "Anna", "Cia"),
    "Mo": (WAITING_GROUP, "Bo", "Anna"),
    "Nils": (WAITING_GROUP, "Bo", "Cia"),
    "Omar": (WAITING_GROUP, "Cia", "Anna"),
    "Pia": (SENDING_GROUP, "Dora", "Cia"),
    "Rut": (SENDING_GROUP, "Dora", "Cia"),
    "Sam": (SENDING_GROUP, "Dora", "Cia"),
}
STAFF = {  # name: (group, shift)
    "Anna": (WAITING_GROUP, (time(7), time(16))),
    "Bo": (WAITING_GROUP, (time(7), time(16))),
    "Cia": (WAITING_GROUP, (time(10), time(19))),
    "Dora": (SENDING_GROUP, (time(7), time(15))),
}
ADMIN = "Dan"
MORNINGS = (time(7, 30), time(8), time(8, 30), time(9))
PLANNED_AHEAD = 3  # days
HELP, RED, TAKE = "🙋 Jag behöver hjälp", "🔴 Inte bra", "✋ Jag tar det"


@dataclass
class Chances:
    """How often things happen, per person and day."""

    planned: float = 0.9  # a co-worker has a task on a working day
    sick: float = 0.06  # a member of staff calls in sick
    holiday_weeks: float = 0.35  # a member of staff takes some days off in a week
    red: float = 0.07
    help: float = 0.07
    message: float = 0.12
    take: float = 0.6  # a member of staff takes an alert they got


@dataclass
class World:
    bot: Bot
    rng: random.Random
    chances: Chances = field(default_factory=Chances)
    ids: dict[str, int] = field(default_factory=dict)  # name -> person id
    telegram: dict[str, int] = field(default_factory=dict)  # name -> Telegram user id
    templates: dict[str, int] = field(default_factory=dict)  # co-worker -> their task
    asked_for_help: set[str] = field(default_factory=set)  # co-workers who pressed HELP
    seen_alerts: set[int] = field(default_factory=set)  # outbox ids of alerts considered
    settled: set[str] = field(default_factory=set)  # calls and messages seen to reach staff

    @property
    def services(self) -> Services:
        return self.bot.services

    def at(self, day: date, moment: time) -> datetime:
        return local_moment(day, moment, self.services.zone)

    def name_of(self, person_id: int) -> str:
        return next(name for name, pid in self.ids.items() if pid == person_id)

    # --- the people -----------------------------------------------------------------

    async def build(self, first_day: date, last_day: date) -> None:
        services = self.services
        async with services.sessions.begin() as session:
            groups = {}
            for name in (WAITING_GROUP, SENDING_GROUP):
                groups[name] = await org_repo.add_group(
                    session, name, "08-123 45 67", services.now()
                )
            groups[WAITING_GROUP].send_unapproved_drafts = False
            admin = await people_repo.add_person(
                session, name=ADMIN, role=Role.ADMIN, now=services.now(), telegram_user_id=3001
            )
            self.ids[ADMIN], self.telegram[ADMIN] = admin.id, 3001
            for group in groups.values():
                group.responsible_admin_id = admin.id
            for n, (name, (group_name, (start, end))) in enumerate(STAFF.items()):
                shifts = [(day, start, end) for day in range(5)]
                staff = await add_staff(
                    services, session, name, groups[group_name], 2001 + n, shifts
                )
                self.ids[name], self.telegram[name] = staff.id, 2001 + n
            for n, (name, (group_name, primary, secondary)) in enumerate(COWORKERS.items()):
                pair = (self.ids[primary], self.ids[secondary])
                coworker = await add_coworker(
                    services, session, name, groups[group_name], 1001 + n, pair
                )
                coworker.morning_time = self.rng.choice(MORNINGS)
                self.ids[name], self.telegram[name] = coworker.id, 1001 + n
                template = TaskTemplate(title=f"Uppgift för {name}", created_at=services.now())
                session.add(template)
                await session.flush()
                self.templates[name] = template.id
            await self._holidays(session, first_day, last_day)
        for day in range(PLANNED_AHEAD):
            await self.plan(first_day + timedelta(days=day))
        for name, user in self.telegram.items():
            await self.bot.people.add_user(user, name, started=True)

    async def _holidays(self, session: AsyncSession, first_day: date, last_day: date) -> None:
        """Days off known ahead: in some weeks a member of staff is away a few days."""
        monday = first_day - timedelta(days=first_day.weekday())
        while monday <= last_day:
            for name in STAFF:
                if self.rng.random() < self.chances.holiday_weeks:
                    start = monday + timedelta(days=self.rng.randrange(5))
                    length = self.rng.randint(1, 4)
                    await rota_service.add_absence(
                        self.services,
                        session,
                        f"#{self.ids[name]}",
                        self.at(start, time(0)),
                        self.at(start + timedelta(days=length), time(0)),
                        "semester",
                    )
            monday += timedelta(weeks=1)

    async def plan(self, day: date) -> None:
        """Staff plan a working day ahead: most co-workers get a task."""
        if is_day_off(day):
            return
        async with self.services.sessions.begin() as session:
            for name in COWORKERS:
                if self.rng.random() < self.chances.planned:
                    coworker = await session.get_one(Person, self.ids[name])
                    template = await session.get_one(TaskTemplate, self.templates[name])
                    await planning.add_task(
                        self.services, session, coworker=coworker, template=template, day=day
                    )

    # --- what happens on a day --------------------------------------------------------

    async def day_events(self, day: date) -> list[tuple[datetime, Action]]:
        """The day's random events, each at its moment."""
        events: list[tuple[datetime, Action]] = []
        rng, chances = self.rng, self.chances
        working = not is_day_off(day)
        await self.plan(day + timedelta(days=PLANNED_AHEAD))
        for name in STAFF if working else ():
            if rng.random() < chances.sick:
                when = self.at(day, time(rng.choice((6, 9, 11, 13)), rng.randrange(60)))
                events.append((when, self._sick(name, day)))
        for name in COWORKERS:
            morning = await self._morning_of(name)
            if working and rng.random() < chances.red:
                when = self.at(day, morning) + timedelta(minutes=rng.randint(2, 90))
                events.append((when, self._press_red(name, day)))
            if working and rng.random() < chances.help:
                when = self.at(day, morning) + timedelta(minutes=rng.randint(10, 8 * 60))
                events.append((when, self._press_help(name, day)))
            if rng.random() < chances.message:
                when = self.at(day, time(rng.randint(6, 21), rng.randrange(60)))
                events.append((when, self._write(name)))
        for plan in await self._plans_to_approve(day + timedelta(days=1)):
            events += self._approval(plan, rng.random())
        return events

    async def mornings(self, day: date) -> list[datetime]:
        """When the day's lists are due."""
        async with self.services.sessions() as session:
            plans = await session.scalars(select(DayPlan).where(DayPlan.day == day))
            return [plan.deliver_at for plan in plans]

    async def _morning_of(self, name: str) -> time:
        async with self.services.sessions() as session:
            person = await session.get_one(Person, self.ids[name])
            morning: time = person.morning_time
            return morning

    def _sick(self, name: str, day: date) -> Action:
        async def act() -> None:
            async with self.services.sessions.begin() as session:
                end = self.at(day + timedelta(days=1), time(0))
                await rota_service.add_absence(
                    self.services, session, f"#{self.ids[name]}", None, end, "sjuk"
                )

        return act

    async def _plans_to_approve(self, day: date) -> list[DayPlan]:
        async with self.services.sessions() as session:
            plans = []
            for name, (group, _, _) in COWORKERS.items():
                if group != WAITING_GROUP:
                    continue

                plan = await plan_repo.plan_for(session, self.ids[name], day)
                if plan is not None and plan.tasks and plan.status is PlanStatus.DRAFT:
                    plans.append(plan)
            return plans

    def _approval(self, plan: DayPlan, draw: float) -> list[tuple[datetime, Action]]:
        """In the evening (most), in the morning within the grace, too late, or never."""
        grace = timedelta(hours=self.services.settings.morning_grace_hours)
        minutes = timedelta(minutes=self.rng.randint(5, 100))
        if draw < 0.6:
            when = self.at(plan.day - timedelta(days=1), time(18, 30)) + minutes
        elif draw < 0.78:
            when = plan.deliver_at + minutes
        elif draw < 0.9:
            when = plan.deliver_at + grace + minutes
        else:
            return []
        return [(when, self._approve(plan.id))]

    def _approve(self, plan_id: int) -> Action:
        """A member of staff of the group who is here approves, as the review's button does."""

        async def act() -> None:
            services = self.services
            async with services.sessions.begin() as session:
                plan = await session.get_one(DayPlan, plan_id)
                if plan.status is not PlanStatus.DRAFT:
                    return
                here = [n for n, (g, _) in STAFF.items() if g == WAITING_GROUP]
                away = await _away(session, [self.ids[n] for n in here], services.now())
                present = [n for n in here if self.ids[n] not in away]
                if not present:
                    return
                staff = await session.get_one(Person, self.ids[self.rng.choice(present)])
                await review.approve(services, session, staff, plan_id)
                if held_lists.too_late(services, plan):
                    await held_lists.approved_too_late(services, session, plan, staff)

        return act

    def _press_red(self, name: str, day: date) -> Action:
        async def act() -> None:

            await self._press(name, checkins.morning_key(self.ids[name], day), RED)

        return act

    def _press_help(self, name: str, day: date) -> Action:
        async def act() -> None:

            async with self.services.sessions() as session:
                plan = await plan_repo.plan_for(session, self.ids[name], day)
            if plan is None or plan.list_message_id is None:
                return
            self.asked_for_help.add(name)
            await self.bot.people.press(self.telegram[name], plan.list_message_id, text=HELP)
            await self.bot.take_updates()

        return act

    async def _press(self, name: str, outbox_key: str, label: str) -> None:

        async with self.services.sessions() as session:
            row = await outbox_repo.by_key(session, outbox_key)
        if row is None or row.telegram_message_id is None:
            return
        await self.bot.people.press(self.telegram[name], row.telegram_message_id, text=label)
        await self.bot.take_updates()

    def _write(self, name: str) -> Action:
        async def act() -> None:
            await self.bot.people.send_text(self.telegram[name], "Hej! Jag undrar en sak.")
            await self.bot.take_updates()

        return act

    # --- staff answering alerts --------------------------------------------------------

    async def alerts_to_take(self) -> list[tuple[datetime, Action]]:
        """Alerts sent since last asked: each is taken a while later, or left."""

        async with self.services.sessions() as session:
            rows = list(
                await session.scalars(
                    select(OutboxMessage).where(
                        OutboxMessage.kind == escalation.NOTICE,
                        OutboxMessage.status == OutboxStatus.SENT,
                    )
                )
            )
        taken = []
        for row in rows:
            if row.id in self.seen_alerts:
                continue
            self.seen_alerts.add(row.id)
            if row.person_id is None or self.rng.random() >= self.chances.take:
                continue
            when = self.services.now() + timedelta(minutes=self.rng.randint(1, 25))
            taken.append((when, self._take(row.person_id, row.chat_id, row.telegram_message_id)))
        return taken

    def _take(self, person_id: int, chat_id: int, message_id: int | None) -> Action:
        async def act() -> None:
            async with self.services.sessions() as session:
                if await _away(session, [person_id], self.services.now()):
                    return  # went home sick meanwhile: they do not see it
            message = self.bot.sandbox.state.find_message(chat_id, message_id or 0)
            if message is None or TAKE not in _labels(message):
                return  # someone else took it: the alert says so, without the button
            await self.bot.people.press(chat_id, message.message_id, text=TAKE)
            await self.bot.take_updates()

        return act


def _labels(message: Message) -> list[str]:
    return [str(button.get("text")) for row in inline_rows(message.reply_markup) for button in row]


async def _away(session: AsyncSession, person_ids: list[int], at: datetime) -> set[int]:
    return await away_ids(session, person_ids, at)
