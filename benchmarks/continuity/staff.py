"""What staff do with what reaches them, through the services their doors call: a
co-worker's message that reaches them is answered (``relay.answer``), mostly, a few
minutes later; an alert for a call for help is taken ("I'm on it":
``escalation.acknowledge``), often, sometimes only after the wait is over and the next
member of staff has been told too. Nobody acts while away (sick). Each thing done is
noted (co-worker, staff, moment): the simulation's own count, to check the figure by.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.context import Services
from bot.services.day import escalation
from bot.services.messages import relay
from bot.services.messages.responsible import away_ids
from bot.services.messages.staff_messages import Source
from storage.models import Message, OutboxMessage, Person, Role

Action = Callable[[], Awaitable[None]]

ANSWER_CHANCE = 0.9  # a message that reaches a member of staff is answered
ANSWER_MINUTES = (2, 40)
TAKE_CHANCE = 0.9  # an alert is taken by the one it reaches
TAKE_MINUTES = (1, 12)  # past the escalation wait (10 minutes), the next is told too


@dataclass(frozen=True)
class Done:
    coworker_id: int
    staff_id: int
    at: datetime


@dataclass
class Staff:
    services: Services
    rng: random.Random
    done: list[Done] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def fake_message_id(self) -> int:
        """A Telegram message id for what the simulation 'sends' (never really sent)."""
        return next(self._ids)

    def react(self, row: OutboxMessage, person: Person) -> list[tuple[datetime, Action]]:
        """What ``person`` will do about ``row``, just delivered to them, and when."""
        if person.role is not Role.SUPPORT:
            return []  # admins hear of calls nobody took; here they only listen
        now = self.services.now()
        item = int(row.idempotency_key.split(":")[1])  # relay:<message>:… or help:<call>:…
        if row.kind == relay.COPY and self.rng.random() < ANSWER_CHANCE:
            later = now + timedelta(minutes=self.rng.randint(*ANSWER_MINUTES))
            return [(later, self._answer(person.id, item))]
        if row.kind == escalation.NOTICE and self.rng.random() < TAKE_CHANCE:
            later = now + timedelta(minutes=self.rng.randint(*TAKE_MINUTES))
            return [(later, self._take(person.id, item))]
        return []

    def _answer(self, staff_id: int, message_id: int) -> Action:
        async def act() -> None:
            services = self.services
            async with services.sessions.begin() as session:
                if await away_ids(session, [staff_id], services.now()):
                    return
                staff = await session.get_one(Person, staff_id)
                original = await session.get_one(Message, message_id)
                assert staff.telegram_user_id is not None
                source = Source("text", "Hej!", staff.telegram_user_id, self.fake_message_id())
                await relay.answer(services, session, staff, original, source)
                self.done.append(Done(original.coworker_id, staff_id, services.now()))

        return act

    def _take(self, staff_id: int, request_id: int) -> Action:
        async def act() -> None:
            services = self.services
            async with services.sessions.begin() as session:
                if await away_ids(session, [staff_id], services.now()):
                    return
                staff = await session.get_one(Person, staff_id)
                _, coworker, took = await escalation.acknowledge(
                    services, session, staff, request_id
                )
                if took:
                    self.done.append(Done(coworker.id, staff_id, services.now()))

        return act
