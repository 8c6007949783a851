"""Who hears a co-worker's call for help, and what the co-worker is told."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta

from sqlalchemy import select

from bot.context import Services
from bot.i18n import Texts
from bot.rules.clock import MovableClock
from bot.rules.help import NO_TASK
from bot.rules.localtime import local_moment
from bot.services.day import help as help_service
from bot.services.day.tasks import Outcome
from bot.services.planning import plans as planning
from bot.views.help import help_receipt
from storage.models import (
    DutyShift,
    OutboxMessage,
    Person,
    PlannedTask,
    Role,
    TaskStatus,
    TaskTemplate,
)
from storage.repos import organisation as org_repo
from storage.repos import people as people_repo
from storage.repos import rota as rota_repo

KIM, ANNA, JOHAN = 1001, 2001, 2002


@dataclass
class World:
    kim: Person
    anna: Person
    johan: Person
    task: PlannedTask


async def world(
    services: Services,
    *,
    anna_on_telegram: bool = True,
    annas_hours: tuple[time, time] | None = None,
    johans_hours: tuple[time, time] | None = None,
    contacts: bool = True,
    day_offset: int = 0,
) -> World:
    """Kim in Rutt 1 (phone 08-123 45 67) with one task; Anna and Johan support, Kim's
    contact persons in that order when ``contacts``; weekday hours as given."""
    now = services.now()
    async with services.sessions.begin() as session:
        group = await org_repo.add_group(session, "Rutt 1", "08-123 45 67", now)
        kim = await people_repo.add_person(
            session, name="Kim", role=Role.COWORKER, now=now, group=group, telegram_user_id=KIM
        )
        anna = await people_repo.add_person(
            session,
            name="Anna",
            role=Role.SUPPORT,
            now=now,
            group=group,
            telegram_user_id=ANNA if anna_on_telegram else None,
        )
        johan = await people_repo.add_person(
            session, name="Johan", role=Role.SUPPORT, now=now, group=group, telegram_user_id=JOHAN
        )
        for person, hours in ((anna, annas_hours), (johan, johans_hours)):
            if hours is not None:
                await rota_repo.add_shifts(
                    session,
                    [
                        DutyShift(
                            person_id=person.id, weekday=d, start_time=hours[0], end_time=hours[1]
                        )
                        for d in range(5)
                    ],
                )
        if contacts:
            await org_repo.set_contacts(session, kim.id, anna.id, johan.id)
        template = TaskTemplate(title="Vattna blommorna", created_at=now)
        session.add(template)
        await session.flush()
        task = await planning.add_task(
            services,
            session,
            coworker=kim,
            template=template,
            day=services.today() + timedelta(days=day_offset),
        )
    return World(kim, anna, johan, task)


async def ask(services: Services, kim: Person, task_id: int) -> help_service.HelpAsked:
    async with services.sessions.begin() as session:
        return await help_service.ask_for_help(services, session, kim, task_id)


async def queued(services: Services) -> list[OutboxMessage]:
    async with services.sessions() as session:
        return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def status_of(services: Services, task_id: int) -> TaskStatus:
    async with services.sessions() as session:
        task = await session.get(PlannedTask, task_id)
    assert task is not None
    return task.status


def receipt(services: Services, asked: help_service.HelpAsked) -> str:
    return help_receipt(
        Texts("sv"),
        told=asked.told,
        told_at=asked.told_at,
        told_on_duty=asked.told_on_duty,
        group=asked.group,
        zone=services.zone,
        today=services.today(),
    ).text


async def test_the_contact_person_on_duty_is_told_once(
    services: Services, clock: MovableClock
) -> None:
    clock.set(local_moment(services.today(), time(9, 0, 10), services.zone))
    w = await world(services, annas_hours=(time(7), time(16)))
    first = await ask(services, w.kim, w.task.id)
    again = await ask(services, w.kim, w.task.id)
    assert first.told is not None and first.told.id == w.anna.id and first.told_on_duty
    assert receipt(services, again) == (
        "Jag har sagt till Anna att du behöver hjälp. Anna hör av sig så snart det går."
    )
    clock.advance(timedelta(minutes=1))  # still open: pressing again tells nobody again
    await ask(services, w.kim, w.task.id)
    (row,) = await queued(services)
    assert (row.chat_id, row.kind) == (ANNA, "help_request")
    assert row.payload["buttons"] == [[["✋ Jag tar det", f"E:{first.request_id}"]]]
    assert await status_of(services, w.task.id) is TaskStatus.HELP


async def test_the_secondary_contact_when_the_primary_is_off(
    services: Services, clock: MovableClock
) -> None:
    clock.set(local_moment(services.today(), time(17, 0), services.zone))
    w = await world(services, annas_hours=(time(7), time(16)), johans_hours=(time(12), time(20)))
    asked = await ask(services, w.kim, NO_TASK)
    assert asked.told is not None and asked.told.id == w.johan.id and asked.told_on_duty
    (row,) = await queued(services)
    assert row.chat_id == JOHAN
    assert row.payload["text"].startswith("🙋 Kim behöver hjälp (kl 17:00).")


async def test_nobody_on_duty_waits_for_the_next_one(services: Services) -> None:
    # 06:00 on Tuesday; Anna starts at 12:00.
    w = await world(services, annas_hours=(time(12), time(20)))
    asked = await ask(services, w.kim, w.task.id)
    noon = local_moment(services.today(), time(12), services.zone)
    assert asked.told is not None and asked.told.id == w.anna.id
    assert (asked.told_at, asked.told_on_duty) == (noon, False)
    (row,) = await queued(services)
    assert (row.chat_id, row.next_attempt_at) == (ANNA, noon)
    assert receipt(services, asked) == (
        "Ingen har tjänst just nu.\n"
        "Anna får veta det idag klockan 12:00.\n"
        "Vill du prata med någon nu? Ring 08-123 45 67.\n"
        "Vid fara: ring 112."
    )


async def test_the_one_on_duty_not_on_telegram_is_passed_over(services: Services) -> None:
    w = await world(services, anna_on_telegram=False, annas_hours=(time(0), time(23, 59)))
    asked = await ask(services, w.kim, w.task.id)
    assert asked.told is not None and asked.told.id == w.johan.id
    (row,) = await queued(services)
    assert row.chat_id == JOHAN and row.next_attempt_at == row.created_at


async def test_without_a_rota_the_contact_person_hears_at_once(services: Services) -> None:
    w = await world(services)
    asked = await ask(services, w.kim, w.task.id)
    assert asked.told is not None and asked.told.id == w.anna.id
    assert (asked.told_at, asked.told_on_duty) == (None, False)
    (row,) = await queued(services)
    assert row.chat_id == ANNA and row.next_attempt_at == row.created_at
    assert receipt(services, asked) == (
        "Ingen har tjänst just nu.\n"
        "Jag har skickat det till Anna.\n"
        "Vill du prata med någon nu? Ring 08-123 45 67.\n"
        "Vid fara: ring 112."
    )


async def test_nobody_to_tell_at_all(services: Services) -> None:
    w = await world(services, contacts=False)
    asked = await ask(services, w.kim, NO_TASK)
    assert asked.told is None and await queued(services) == []
    assert receipt(services, asked) == (
        "Ingen har tjänst just nu.\n"
        "Jag kan inte nå någon i personalen nu.\n"
        "Vill du prata med någon nu? Ring 08-123 45 67.\n"
        "Vid fara: ring 112."
    )


async def test_help_on_a_done_task_is_not_sent(services: Services) -> None:
    w = await world(services, annas_hours=(time(0), time(23, 59)))
    async with services.sessions.begin() as session:
        task = await session.get(PlannedTask, w.task.id)
        assert task is not None
        task.status = TaskStatus.DONE
    asked = await ask(services, w.kim, w.task.id)
    assert asked.outcome is Outcome.ALREADY_DONE and asked.told is None
    assert await queued(services) == []
    assert await status_of(services, w.task.id) is TaskStatus.DONE


async def test_help_about_someone_elses_task_is_the_presser_s_own(services: Services) -> None:
    w = await world(services, annas_hours=(time(0), time(23, 59)))
    async with services.sessions.begin() as session:
        sara = await people_repo.add_person(
            session, name="Sara", role=Role.COWORKER, now=services.now(), telegram_user_id=1002
        )
    asked = await ask(services, sara, w.task.id)
    assert asked.outcome is Outcome.OK and asked.task is None
    assert await status_of(services, w.task.id) is TaskStatus.OPEN
    assert asked.told is None  # Sara has no contact persons and no group
    assert await queued(services) == []


async def test_help_on_yesterdays_task_is_still_about_it(services: Services) -> None:
    w = await world(services, annas_hours=(time(0), time(23, 59)), day_offset=-1)
    asked = await ask(services, w.kim, w.task.id)
    assert asked.task is not None and asked.task.id == w.task.id
    assert await status_of(services, w.task.id) is TaskStatus.HELP
    (row,) = await queued(services)
    assert "Vattna blommorna" in row.payload["text"]
