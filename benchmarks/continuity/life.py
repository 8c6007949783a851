"""A :class:`~benchmarks.continuity.plan.Plan` lived through the real services on a real
database, with a simulated clock and no Telegram.

The group, its staff and co-workers are set up as staff would (tests/simulation/
builders.py); each week's rota is set through the rota service on the Sunday at 21:00,
when the week's last shift ends (``rota.set_shifts``), the long holiday and the sick
days through ``rota.add_absence``. A co-worker's message goes through
``relay.from_coworker``, a call for help through ``help.ask_for_help``. The clock then
moves from one moment to the next that matters (the plan's, staff's, or what the
database says is due), and at each the clock's own steps run: ``escalation.escalate_due``
and ``waiting_messages.look_after``; then the outbox rows due are "delivered" as the
sender would record them (with its hooks), and whoever gets one reacts (:mod:`.staff`).

Two routings: ``VARDAG``, the product as it is (contact persons first); ``ANY``, where
just before each contact the co-worker's contact persons are set to two members of staff
drawn at random from those the routing service says are on duty then (or, when nobody
is, from those who come on duty first): whoever happens to pick up. Everything after
that is the product's own (who owns the thread, the escalation chain).
"""

from __future__ import annotations

import heapq
import itertools
import random
from datetime import date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.rules.duty import Reason
from bot.rules.help import NO_TASK
from bot.rules.localtime import local_moment
from bot.runtime.app import ON_SENT
from bot.services.day import escalation, help
from bot.services.messages import relay, routing, waiting_messages
from bot.services.people import rota as rota_service
from storage.models import OutboxStatus, Person, Role
from storage.repos import organisation as org_repo
from storage.repos import outbox as outbox_repo
from storage.repos import people as people_repo
from storage.repos import rota as rota_repo
from tests.simulation.builders import add_coworker, add_staff
from tests.simulation.runtime import World
from tests.simulation.timeline import next_due

from .plan import Plan
from .staff import Action, Staff

VARDAG, ANY = "Vardag (contact persons first)", "any on duty"
ROTA_CHANGE = time(21)  # Sunday, when the last shift of the week ends
SICK_CALL = time(6)
SECOND = timedelta(seconds=1)
OWN = (Reason.PRIMARY, Reason.SECONDARY)


class Life:
    def __init__(self, world: World, plan: Plan, routing_variant: str, seed: int) -> None:
        self.world, self.plan, self.variant = world, plan, routing_variant
        self.services = world.services
        self.staff = Staff(self.services, random.Random(seed + 1))
        self.pick = random.Random(seed + 2)  # whoever picks up (ANY)
        self.ids: dict[str, int] = {}
        self.group_id = 0
        self.contact_person_on_duty = 0  # contacts made while one was (VARDAG only)
        self._queue: list[tuple[datetime, int, Action]] = []
        self._order = itertools.count()

    def at(self, day: date, moment: time) -> datetime:
        return local_moment(day, moment, self.services.zone)

    @property
    def coworker_ids(self) -> list[int]:
        return [self.ids[name] for name in self.plan.coworkers]

    async def build(self) -> None:
        services, plan = self.services, self.plan
        async with services.sessions.begin() as session:
            group = await org_repo.add_group(session, "Rutt 1", "08-123 45 67", services.now())
            self.group_id = group.id
            admin = await people_repo.add_person(
                session, name="Dan", role=Role.ADMIN, now=services.now(), telegram_user_id=3001
            )
            group.responsible_admin_id = admin.id
            for n, name in enumerate(plan.staff):
                shifts = plan.rotas[0].get(name, [])
                staff = await add_staff(services, session, name, group, 2001 + n, shifts)
                self.ids[name] = staff.id
            for n, name in enumerate(plan.coworkers):
                primary, secondary = plan.contact_persons[name]
                pair = (self.ids[primary], self.ids[secondary])
                coworker = await add_coworker(services, session, name, group, 1001 + n, pair)
                self.ids[name] = coworker.id
            who, first, back = plan.holiday
            await rota_service.add_absence(
                services, session, f"#{self.ids[who]}", self.at(first, time(0)),
                self.at(back, time(0)), "semester",
            )  # fmt: skip

    async def live(self) -> None:
        """Every day of the plan, up to its last minute."""
        plan = self.plan
        for week in range(1, plan.weeks):
            sunday = plan.start + timedelta(weeks=week, days=-1)
            self._add(self.at(sunday, ROTA_CHANGE), self._new_rota(week))
        for person, day in plan.sick:
            self._add(self.at(day, SICK_CALL), self._sick(person, day))
        for contact in plan.contacts:
            action = self._contact(contact.coworker, contact.kind)
            self._add(self.at(contact.day, contact.at), action)
        end = self.at(plan.start + timedelta(weeks=plan.weeks), time(0)) - SECOND
        while True:
            now = self.services.now()
            candidates = [max(self._queue[0][0], now)] if self._queue else []
            due = await next_due(self.services, now)
            if due is not None:
                candidates.append(due + SECOND)
            moment = min([*candidates, end])
            self.world.clock.set(moment)
            while self._queue and self._queue[0][0] <= moment:
                await heapq.heappop(self._queue)[2]()
            await self._tick()
            if moment >= end:
                return

    def _add(self, moment: datetime, action: Action) -> None:
        heapq.heappush(self._queue, (moment, next(self._order), action))

    async def _tick(self) -> None:
        """The clock's steps that concern messages and calls, then the outbox."""
        await escalation.escalate_due(self.services)
        await waiting_messages.look_after(self.services)
        await self._deliver()

    async def _deliver(self) -> None:
        """Every outbox row due, recorded as sent the way the sender records it (its
        hooks too: where a relayed copy went, an alert sent after its call was taken)."""
        services = self.services
        reactions = []
        async with services.sessions.begin() as session:
            now = services.now()
            for row in await outbox_repo.due(session, now, 1000):
                message_id = self.staff.fake_message_id()
                row.status, row.sent_at = OutboxStatus.SENT, now
                row.attempts += 1
                row.telegram_message_id = message_id
                hook = ON_SENT.get(row.kind)
                if hook is not None:
                    await hook(session, row, message_id, now)
                person = await session.get(Person, row.person_id) if row.person_id else None
                if person is not None:
                    reactions += self.staff.react(row, person)
        for moment, action in reactions:
            self._add(moment, action)

    def _new_rota(self, week: int) -> Action:
        async def act() -> None:
            async with self.services.sessions.begin() as session:
                for name in self.plan.staff:
                    shifts = self.plan.rotas[week].get(name, [])
                    if shifts:
                        await rota_service.set_shifts(
                            self.services, session, f"#{self.ids[name]}", shifts
                        )
                    else:  # not working this week (the substitute, mostly)
                        await rota_repo.replace_shifts(session, self.ids[name], [])

        return act

    def _sick(self, person: str, day: date) -> Action:
        async def act() -> None:
            async with self.services.sessions.begin() as session:
                end = self.at(day + timedelta(days=1), time(0))
                await rota_service.add_absence(
                    self.services, session, f"#{self.ids[person]}", None, end, "sjuk"
                )

        return act

    def _contact(self, name: str, kind: str) -> Action:
        async def act() -> None:
            services = self.services
            async with services.sessions.begin() as session:
                coworker = await session.get_one(Person, self.ids[name])
                if self.variant == ANY:
                    await self._whoever_picks_up(session, coworker)
                else:
                    route = await routing.route(services, session, coworker.id, services.now())
                    self.contact_person_on_duty += route.reason in OWN
                if kind == "help":
                    await help.ask_for_help(services, session, coworker, NO_TASK)
                    return
                assert coworker.telegram_user_id is not None
                await relay.from_coworker(
                    services, session, coworker, kind="text", body="Hej! Jag undrar en sak.",
                    chat_id=coworker.telegram_user_id, message_id=self.staff.fake_message_id(),
                )  # fmt: skip

        return act

    async def _whoever_picks_up(self, session: AsyncSession, coworker: Person) -> None:
        services = self.services
        staff = await rota_repo.staff_of(session, self.group_id)
        now = services.now()
        here = await routing.on_duty_among(services, session, staff, now)
        if not here:
            first = await routing.next_on_duty_among(services, session, staff, now)
            here = await routing.on_duty_among(services, session, staff, first) if first else []
        if not here:
            return
        first_pick = self.pick.choice(here)
        # Contact persons are two different people: the second another on duty, if any.
        rest = [p for p in here if p.id != first_pick.id] or [
            p for p in staff if p.id != first_pick.id
        ]
        second_pick = self.pick.choice(rest)
        await org_repo.set_contacts(session, coworker.id, first_pick.id, second_pick.id)
