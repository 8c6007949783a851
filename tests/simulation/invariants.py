"""What must hold at the end of every simulated day; each check returns what broke,
in words, so the failing seed and day print a readable story.

1. Every active co-worker with a list planned for the day got it, or was told on their
   phone why not, and a member of staff on duty was told (when nobody of the group is on
   duty, the one the product chose outside every shift, who must not be away).
2. Every call for help, red check-in and message reached a member of staff on duty (or,
   for an untaken red check-in, the responsible admin), or is visibly waiting for
   someone on duty, and a co-worker who asked was told when.
3. No co-worker who did not ask for help got the emergency text.
4. No promise went unkept without a word: every promise due by now is closed with an
   outcome, and no outbox row to a co-worker was dropped or given up.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from bot.services.day import escalation, morning
from bot.services.messages import relay, routing
from bot.services.messages.responsible import away_ids
from storage.models import (
    DayPlan,
    Direction,
    HelpRequest,
    Message,
    OutboxMessage,
    OutboxStatus,
    Person,
    Promise,
)
from tests.simulation.world import COWORKERS, STAFF, World

EMERGENCY = ("ring 112", "Jag når ingen")


async def broken(world: World, day: date) -> list[str]:
    return [
        *await lists_arrived(world, day),
        *await reached_someone(world),
        *emergency_only_when_asked(world),
        *await promises_kept(world),
    ]


def _texts(world: World, name: str) -> list[str]:
    return [m.text or "" for m in world.bot.phone(world.telegram[name]) if m.from_bot]


async def _rows(world: World, *where) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    async with world.services.sessions() as session:
        return list(await session.scalars(select(OutboxMessage).where(*where)))


async def _reached_on_duty(world: World, rows: list[OutboxMessage]) -> bool:
    """One of the rows was sent to a member of staff while on duty."""
    async with world.services.sessions() as session:
        for row in rows:
            if row.status is OutboxStatus.SENT and row.person_id is not None:
                assert row.sent_at is not None
                if await routing.on_duty(world.services, session, row.person_id, row.sent_at):
                    return True
    return False


async def _nobody_of_group_on_duty(world: World, coworker: str, at: datetime) -> bool:
    group = COWORKERS[coworker][0]
    staff = [world.ids[n] for n, (g, _) in STAFF.items() if g == group]
    async with world.services.sessions() as session:
        return not any([await routing.on_duty(world.services, session, s, at) for s in staff])


async def _told_someone_not_away(world: World, rows: list[OutboxMessage]) -> bool:
    async with world.services.sessions() as session:
        for row in rows:
            if row.status is OutboxStatus.SENT and row.person_id is not None:
                assert row.sent_at is not None
                if not await away_ids(session, [row.person_id], row.sent_at):
                    return True
    return False


async def lists_arrived(world: World, day: date) -> list[str]:
    problems = []
    async with world.services.sessions() as session:
        plans = list(await session.scalars(select(DayPlan).where(DayPlan.day == day)))
        planned = [(p, await session.get_one(Person, p.coworker_id)) for p in plans if p.tasks]
    for plan, person in planned:
        name = person.display_name
        texts = _texts(world, name)
        got = any(t.startswith(f"God morgon {name}! Idag") for t in texts)
        sent = await _rows(
            world, OutboxMessage.idempotency_key == morning.idempotency_key(person.id, plan)
        )
        if got and sent and sent[0].status is OutboxStatus.SENT:
            continue
        no_list = f"{name}, idag kommer ingen lista."
        if not any(t.startswith(no_list) for t in texts):
            problems.append(f"{name} got no list on {day} and was not told why")
        notes = await _rows(
            world,
            OutboxMessage.idempotency_key.like(f"held:{person.id}:{day.isoformat()}:%")
            | OutboxMessage.idempotency_key.like(f"not-sent:{plan.id}:%"),
        )
        if await _reached_on_duty(world, notes):
            continue
        # Nobody of the group on duty: the one told must at least not be away.
        told_someone_here = await _told_someone_not_away(world, notes)
        if not (told_someone_here and await _nobody_of_group_on_duty(world, name, plan.deliver_at)):
            problems.append(f"{name}'s list on {day} was not sent and no staff on duty was told")
    return problems


async def reached_someone(world: World) -> list[str]:
    problems = []
    now = world.services.now()
    async with world.services.sessions() as session:
        requests = list(await session.scalars(select(HelpRequest)))
        messages = list(
            await session.scalars(
                select(Message).where(Message.direction == Direction.FROM_COWORKER)
            )
        )
        names = {p.id: p.display_name for p in await session.scalars(select(Person))}
    for request in requests:
        name, what = names[request.coworker_id], f"{request.reason} {request.id}"
        if what in world.settled:
            continue
        if request.acknowledged_at is not None or request.ended_with == escalation.ADMIN_TOLD:
            world.settled.add(what)
            continue
        alerts = await _rows(
            world,
            OutboxMessage.idempotency_key.like(f"help:{request.id}:%"),
            OutboxMessage.kind == escalation.NOTICE,
        )
        if await _reached_on_duty(world, alerts):
            world.settled.add(what)
            continue
        if not any(r.status is OutboxStatus.PENDING and r.next_attempt_at > now for r in alerts):
            problems.append(
                f"{name}'s {what} ({request.created_at:%a %H:%M}) reached nobody on duty"
                f" (ended: {request.ended_with})"
            )
        elif request.reason == escalation.HELP and not any(
            "klockan" in t for t in _texts(world, name)
        ):
            problems.append(f"{name}'s {what} waits, and {name} was not told when")
    for message in messages:
        name = names[message.coworker_id]
        if f"message {message.id}" in world.settled:
            continue
        rows = await _rows(
            world,
            OutboxMessage.idempotency_key.like(f"relay:{message.id}:%"),
            OutboxMessage.kind == relay.COPY,
        )
        if await _reached_on_duty(world, rows):
            world.settled.add(f"message {message.id}")
            continue
        waiting = [r for r in rows if r.status is OutboxStatus.PENDING and r.next_attempt_at > now]
        told = [
            m
            for m in world.bot.phone(message.source_chat_id)
            if m.from_bot
            and m.message_id > message.source_message_id
            and "får ditt meddelande" in (m.text or "")
        ]
        if not (waiting and told):
            problems.append(
                f"{name}'s message {message.id} ({message.created_at:%a %H:%M}) "
                f"reached nobody on duty (waiting: {bool(waiting)}, told: {bool(told)})"
            )
    return problems


def emergency_only_when_asked(world: World) -> list[str]:
    return [
        f"{name} got the emergency text without asking for help"
        for name in COWORKERS
        if name not in world.asked_for_help
        and any(e in t for t in _texts(world, name) for e in EMERGENCY)
    ]


async def promises_kept(world: World) -> list[str]:
    now = world.services.now()
    problems = []
    async with world.services.sessions() as session:
        for promise in await session.scalars(select(Promise)):
            if promise.closed_at is None and promise.due_at <= now:
                problems.append(
                    f"promise {promise.subject} was due {promise.due_at:%a %H:%M} "
                    f"and is still open ({promise.outcome})"
                )
            if promise.closed_at is not None and not promise.outcome:
                problems.append(f"promise {promise.subject} was closed without an outcome")
        coworkers = [
            p.id for p in await session.scalars(select(Person)) if p.display_name in COWORKERS
        ]
    for row in await _rows(
        world,
        OutboxMessage.person_id.in_(coworkers),
        OutboxMessage.status.in_([OutboxStatus.DROPPED, OutboxStatus.DEAD]),
    ):
        problems.append(
            f"outbox {row.idempotency_key} ({row.kind}) to a co-worker: "
            f"{row.status.value} ({row.last_error})"
        )
    return problems


async def tally(world: World) -> dict[str, int]:
    """What the weeks held, so a run shows it did exercise the net (and a test can insist)."""
    counts: dict[str, int] = {}

    def count(key: str) -> None:
        counts[key] = counts.get(key, 0) + 1

    async with world.services.sessions() as session:
        for request in await session.scalars(select(HelpRequest)):
            count(request.reason)
            count(
                f"{request.reason}: taken"
                if request.acknowledged_at
                else f"{request.reason}: {request.ended_with or 'open'}"
            )
        for _ in await session.scalars(
            select(Message).where(Message.direction == Direction.FROM_COWORKER)
        ):
            count("message")
        for promise in await session.scalars(select(Promise)):
            count(f"promise {promise.kind}: {(promise.outcome or 'open').split(' ')[0]}")
        for row in await session.scalars(select(OutboxMessage)):
            if row.kind in (relay.COPY,) and row.sent_at and row.created_at < row.sent_at:
                count("message waited for someone on duty")
    return counts
