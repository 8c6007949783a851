"""Every branch of the escalation chain with a moving clock: the contact person on duty,
the other one, the group's other staff on duty, the admins, then the co-worker is told
whom to call; "I'm on it" stops it and tells the co-worker who is coming."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from sqlalchemy import select

from bot.context import Services
from bot.rules.clock import MovableClock
from bot.rules.localtime import local_moment
from bot.services.access import ReviewError
from bot.services.day import escalation, help_alerts
from storage.models import (
    ContactPersons,
    DutyShift,
    Group,
    HelpRequest,
    OutboxMessage,
    OutboxStatus,
    Person,
    Role,
)
from storage.repos import help_requests as help_repo
from storage.repos import people

NAMES = {"Anna": 2001, "Bo": 2002, "Cia": 2003, "Dan": 2004, "Kim": 1001}


async def a_group(services: Services) -> dict[str, Person]:
    """Anna (first) and Bo (second) are Kim's contact persons; Cia is also staff of the
    group; all three are on duty on weekdays 07–16. Dan is an admin."""
    async with services.sessions.begin() as session:
        group = Group(name="Rutt 1", phone="08-123 45 67", created_at=services.now())
        session.add(group)
        await session.flush()
        made = {}
        for name, user in NAMES.items():
            role = {"Kim": Role.COWORKER, "Dan": Role.ADMIN}.get(name, Role.SUPPORT)
            made[name] = await people.add_person(
                session,
                name=name,
                role=role,
                now=services.now(),
                group=group if role is not Role.ADMIN else None,
                telegram_user_id=user,
            )
        for name in ("Anna", "Bo", "Cia"):
            for day in range(5):
                session.add(
                    DutyShift(
                        person_id=made[name].id,
                        weekday=day,
                        start_time=time(7, 0),
                        end_time=time(16, 0),
                    )
                )
        session.add(
            ContactPersons(
                coworker_id=made["Kim"].id, primary_id=made["Anna"].id, secondary_id=made["Bo"].id
            )
        )
    return made


def at(services: Services, clock: MovableClock, hour: int, minute: int = 0) -> None:
    """The clock at hour:minute and a few seconds (it runs on from there, as time does)."""
    clock.set(local_moment(services.today(), time(hour, minute, 5), services.zone))


async def when_the_wait_is_over(
    services: Services, clock: MovableClock, request_id: int, expected: str
) -> None:
    """Move the clock to a second after the request's next step is due (``expected``)."""
    async with services.sessions() as session:
        request = await session.get_one(HelpRequest, request_id)
    assert request.next_step_at is not None
    assert request.next_step_at.astimezone(services.zone).strftime("%H:%M") == expected
    clock.set(request.next_step_at + timedelta(seconds=1))


async def sent(services: Services) -> list[tuple[int, str, str]]:
    """(chat, first line, buttons) of every queued message, in order."""
    async with services.sessions() as session:
        rows = await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        return [
            (
                r.chat_id,
                r.payload["text"].splitlines()[0],
                ",".join(b[0] for row in r.payload.get("buttons", []) for b in row),
            )
            for r in rows
        ]


async def ask(services: Services, made: dict[str, Person], reason: str = "help") -> int:
    async with services.sessions.begin() as session:
        kim = await session.get_one(Person, made["Kim"].id)
        started = await escalation.start(services, session, kim, reason=reason)
        return started.request.id


async def test_nobody_answers_so_the_chain_runs_to_the_end(
    services: Services, clock: MovableClock
) -> None:
    made = await a_group(services)
    clock.set(local_moment(services.today(), time(9, 0), services.zone))
    request = await ask(services, made)
    assert await sent(services) == [(2001, "🙋 Kim behöver hjälp (kl 09:00).", "✋ Jag tar det")]

    clock.set(local_moment(services.today(), time(9, 9, 59), services.zone))
    assert await escalation.escalate_due(services) == 0
    for chat, expected in ((2002, "09:10"), (2003, "09:20"), (2004, "09:30")):  # Bo, Cia, Dan
        await when_the_wait_is_over(services, clock, request, expected)
        assert await escalation.escalate_due(services) == 1
        assert (await sent(services))[-1][0] == chat
    await when_the_wait_is_over(services, clock, request, "09:40")
    assert await escalation.escalate_due(services) == 1
    async with services.sessions() as session:
        last = await session.scalar(select(OutboxMessage).order_by(OutboxMessage.id.desc()))
        stored = await session.get_one(HelpRequest, request)
    assert last is not None and last.chat_id == 1001
    assert last.payload["text"].splitlines() == [
        "Jag når ingen just nu.",
        "Vill du prata med någon nu? Ring 08-123 45 67.",
        "Vid fara: ring 112.",
    ]
    assert stored.notified_ids == [made[n].id for n in ("Anna", "Bo", "Cia", "Dan")]
    assert stored.exhausted_at is not None and stored.acknowledged_at is None
    at(services, clock, 10)
    assert await escalation.escalate_due(services) == 0


async def test_on_it_stops_the_chain_and_tells_the_coworker(
    services: Services, clock: MovableClock
) -> None:
    made = await a_group(services)
    clock.set(local_moment(services.today(), time(9, 0), services.zone))
    request = await ask(services, made)
    await when_the_wait_is_over(services, clock, request, "09:10")
    async with services.sessions.begin() as session:  # Anna's alert reached her phone
        annas = await session.scalar(select(OutboxMessage).where(OutboxMessage.chat_id == 2001))
        assert annas is not None
        annas.status, annas.telegram_message_id = OutboxStatus.SENT, 77
    await escalation.escalate_due(services)  # Bo is told too
    async with services.sessions.begin() as session:
        with pytest.raises(ReviewError):  # Cia was never told
            await escalation.acknowledge(services, session, made["Cia"], request)
    async with services.sessions.begin() as session:
        _, _, took = await escalation.acknowledge(services, session, made["Bo"], request)
    assert took
    async with services.sessions.begin() as session:
        _, _, again = await escalation.acknowledge(services, session, made["Anna"], request)
    assert not again
    assert (await sent(services))[-3:] == [
        (1001, "Bo har sett det och hör av sig.", ""),
        (2001, "🙋 Kim behöver hjälp (kl 09:00).", ""),  # Anna's alert, edited
        (2001, "Bo tar hand om Kim.", ""),
    ]
    async with services.sessions() as session:
        edit = await session.scalar(
            select(OutboxMessage).where(
                OutboxMessage.idempotency_key == f"help:{request}:0:settled"
            )
        )
    assert edit is not None and edit.payload["edit"] == {"message_id": 77}
    assert edit.payload["text"].splitlines()[-1] == "✅ Bo tar hand om Kim."
    assert "Ingen har svarat än." not in edit.payload["text"]
    at(services, clock, 9, 30)
    assert await escalation.escalate_due(services) == 0


async def test_before_anyone_is_on_duty_it_waits_for_the_first(
    services: Services, clock: MovableClock
) -> None:
    made = await a_group(services)
    clock.set(local_moment(services.today(), time(6, 0), services.zone))
    await ask(services, made, reason="red_check_in")
    async with services.sessions() as session:
        (notice,) = list(await session.scalars(select(OutboxMessage)))
        request = await session.scalar(select(HelpRequest))
    assert notice.chat_id == 2001
    assert notice.payload["text"].splitlines()[0] == "🔴 Kim svarade ”Inte bra” i morse (kl 06:00)."
    seven = local_moment(services.today(), time(7, 0), services.zone)
    assert notice.next_attempt_at == seven
    assert request is not None and request.next_step_at == seven + timedelta(minutes=10)


async def test_an_alert_not_sent_yet_is_dropped_when_another_takes_the_call(
    services: Services, clock: MovableClock
) -> None:
    """Anna's alert is still in the outbox (Telegram was slow) when Bo takes the call: she
    never gets a live alert for a call already taken, nor a note about it."""
    made = await a_group(services)
    at(services, clock, 9)
    request = await ask(services, made)
    await when_the_wait_is_over(services, clock, request, "09:10")
    await escalation.escalate_due(services)
    async with services.sessions.begin() as session:
        _, _, took = await escalation.acknowledge(services, session, made["Bo"], request)
    assert took
    async with services.sessions() as session:
        annas = list(
            await session.scalars(select(OutboxMessage).where(OutboxMessage.chat_id == 2001))
        )
    assert [(r.idempotency_key, r.status) for r in annas] == [
        (f"help:{request}:0", OutboxStatus.DROPPED)
    ]
    assert annas[0].last_error == "taken by another member of staff before it was sent"


async def test_an_alert_sent_while_the_call_was_being_taken_is_settled_after(
    services: Services, clock: MovableClock
) -> None:
    """The sender had Anna's alert in hand when Bo pressed: once Telegram took it, the
    sender's hook queues the edit, so it does not stay live."""
    made = await a_group(services)
    at(services, clock, 9)
    request = await ask(services, made)
    await when_the_wait_is_over(services, clock, request, "09:10")
    await escalation.escalate_due(services)
    async with services.sessions.begin() as session:
        await escalation.acknowledge(services, session, made["Bo"], request)
    async with services.sessions.begin() as session:  # what the sender does when it is out
        annas = await session.scalar(
            select(OutboxMessage).where(OutboxMessage.idempotency_key == f"help:{request}:0")
        )
        assert annas is not None
        annas.status, annas.telegram_message_id = OutboxStatus.SENT, 78
        await help_alerts.after_alert_sent(session, annas, 78, services.now())
    assert (await sent(services))[-2:] == [
        (2001, "🙋 Kim behöver hjälp (kl 09:00).", ""),
        (2001, "Bo tar hand om Kim.", ""),
    ]


async def test_when_no_staff_can_be_told_a_call_for_help_goes_to_the_admins(
    services: Services, clock: MovableClock
) -> None:
    made = await a_group(services)
    async with services.sessions.begin() as session:  # no support person on Telegram yet
        for name in ("Anna", "Bo", "Cia"):
            (await session.get_one(Person, made[name].id)).telegram_user_id = None
    at(services, clock, 9)
    request = await ask(services, made)
    assert await sent(services) == [(2004, "🙋 Kim behöver hjälp (kl 09:00).", "✋ Jag tar det")]
    await when_the_wait_is_over(services, clock, request, "09:10")
    assert await escalation.escalate_due(services) == 1
    assert (await sent(services))[-1][:2] == (1001, "Jag når ingen just nu.")
    async with services.sessions() as session:
        stored = await session.get_one(HelpRequest, request)
    assert stored.ended_with == "coworker_told"


async def test_the_responsible_admin_or_else_every_admin(services: Services) -> None:
    made = await a_group(services)
    async with services.sessions.begin() as session:
        eva = await people.add_person(
            session, name="Eva", role=Role.ADMIN, now=services.now(), telegram_user_id=2005
        )
        group = await session.scalar(select(Group))
        assert group is not None
        assert [a.display_name for a in await help_repo.responsible_admins(session, group)] == [
            "Dan",
            "Eva",
        ]
        group.responsible_admin_id = eva.id
        assert await help_repo.responsible_admins(session, group) == [eva]
        eva.unreachable = True  # blocked the bot: the fallback is the admins who can be told
        dan = await session.get_one(Person, made["Dan"].id)
        assert await help_repo.responsible_admins(session, group) == [dan]
