"""A group that waits for approval: an unapproved draft is held at the morning time, the
co-worker's contact person is told once, and the list goes out as soon as it is approved."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from bot.clock import MovableClock
from bot.services import checkins, morning, planning
from bot.services.context import Services
from bot.timeutil import local_moment
from storage.models import (
    DayPlan,
    Group,
    OutboxMessage,
    Person,
    PlanStatus,
    Role,
    TaskTemplate,
)
from storage.repos import organisation as org_repo
from storage.repos import people
from storage.repos import plans as plan_repo

TUESDAY = date(2026, 11, 24)
KIM_CHAT, ANNA_CHAT, BO_CHAT = 5001, 6001, 6002


@dataclass(frozen=True)
class Route:
    group_id: int
    kim: int
    anna: int
    bo: int


@pytest.fixture(autouse=True)
def fresh_warnings() -> Iterator[None]:
    morning._warned_no_contact.clear()
    yield
    morning._warned_no_contact.clear()


async def seed(
    services: Services, *, wait: bool, contacts: bool = True, anna_language: str = "sv"
) -> Route:
    """Rutt 1 with Anna (primary) and Bo (secondary), and Kim with a list for Tuesday 07:30."""
    now = services.now()
    async with services.sessions.begin() as session:
        group = await org_repo.add_group(session, "Rutt 1", None, now)
        group.send_unapproved_drafts = not wait
        anna = await people.add_person(
            session,
            name="Anna",
            role=Role.SUPPORT,
            now=now,
            group=group,
            telegram_user_id=ANNA_CHAT,
            language=anna_language,
        )
        bo = await people.add_person(
            session, name="Bo", role=Role.SUPPORT, now=now, group=group, telegram_user_id=BO_CHAT
        )
        kim = await people.add_person(
            session, name="Kim", role=Role.COWORKER, now=now, group=group, telegram_user_id=KIM_CHAT
        )
        kim.morning_time = time(7, 30)
        if contacts:
            await org_repo.set_contacts(session, kim.id, anna.id, bo.id)
        template = TaskTemplate(title="Vattna blommorna", created_at=now)
        session.add(template)
        await session.flush()
        await planning.add_task(services, session, coworker=kim, template=template, day=TUESDAY)
        return Route(group.id, kim.id, anna.id, bo.id)


def at(services: Services, hour: int, minute: int, second: int = 0) -> datetime:
    return local_moment(TUESDAY, time(hour, minute, second), services.zone)


async def outbox(services: Services) -> list[OutboxMessage]:
    async with services.sessions() as session:
        return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def plan(services: Services) -> DayPlan:
    async with services.sessions() as session:
        found = await session.scalar(select(DayPlan))
    assert found is not None
    return found


async def approve(services: Services, by: int) -> None:
    async with services.sessions.begin() as session:
        found = await session.scalar(select(DayPlan))
        assert found is not None
        found.status = PlanStatus.APPROVED
        found.approved_by_id = by


async def test_a_draft_waits_and_the_contact_person_is_told_once(
    services: Services, clock: MovableClock
) -> None:
    route = await seed(services, wait=True)
    clock.set(at(services, 7, 29))
    assert await morning.enqueue_due_lists(services) == 0
    assert await outbox(services) == []

    clock.set(at(services, 7, 30, 5))
    assert await morning.enqueue_due_lists(services) == 0
    for minutes in (1, 20, 120):  # later ticks in the grace window tell nobody again
        clock.set(at(services, 7, 30, 5) + timedelta(minutes=minutes))
        assert await morning.enqueue_due_lists(services) == 0
        now = services.now()
        assert await morning.tell_about_held_lists(services, now, now - timedelta(hours=4)) == 0

    (notice,) = await outbox(services)
    assert notice.idempotency_key == f"held:{route.anna}:{route.kim}:2026-11-24"
    assert notice.chat_id == ANNA_CHAT and notice.person_id == route.anna
    assert notice.kind == morning.HELD_KIND
    held = await plan(services)
    assert notice.payload == {
        "text": "Dagens lista till Kim väntar på godkännande och är inte skickad än.",
        "buttons": [[["Visa listan", f"S:{held.id}"]]],
    }
    assert notice.useful_until == local_moment(TUESDAY + timedelta(days=1), time(0), services.zone)
    assert held.status is PlanStatus.DRAFT and held.sent_at is None


async def test_the_list_goes_out_on_the_next_tick_once_approved(
    services: Services, clock: MovableClock
) -> None:
    route = await seed(services, wait=True)
    clock.set(at(services, 7, 31))
    assert await morning.enqueue_due_lists(services) == 0

    clock.set(at(services, 9, 15))
    await approve(services, by=route.anna)
    assert await morning.enqueue_due_lists(services) == 1
    assert await morning.enqueue_due_lists(services) == 0
    keys = [row.idempotency_key for row in await outbox(services)]
    assert keys == [
        f"held:{route.anna}:{route.kim}:2026-11-24",
        f"morning:{route.kim}:2026-11-24",
        f"checkin:{route.kim}:2026-11-24",
    ]
    sent = await plan(services)
    assert sent.status is PlanStatus.SENT and sent.sent_at is not None
    assert sent.sent_at - at(services, 9, 15) < timedelta(minutes=1)


async def test_an_approved_list_goes_at_the_morning_time_without_a_notice(
    services: Services, clock: MovableClock
) -> None:
    route = await seed(services, wait=True)
    await approve(services, by=route.anna)
    clock.set(at(services, 7, 30, 1))
    assert await morning.enqueue_due_lists(services) == 1
    assert [row.idempotency_key for row in await outbox(services)] == [
        f"morning:{route.kim}:2026-11-24",
        f"checkin:{route.kim}:2026-11-24",
    ]


async def test_approved_after_the_grace_window_is_too_late(
    services: Services, clock: MovableClock
) -> None:
    route = await seed(services, wait=True)
    clock.set(at(services, 7, 31))
    await morning.enqueue_due_lists(services)
    grace = timedelta(hours=services.settings.morning_grace_hours)
    clock.set(at(services, 7, 30) + grace + timedelta(minutes=1))
    await approve(services, by=route.anna)
    assert await morning.enqueue_due_lists(services) == 0
    assert [row.kind for row in await outbox(services)] == [morning.HELD_KIND]


async def test_a_group_that_sends_drafts_sends_them_as_drafted(
    services: Services, clock: MovableClock
) -> None:
    route = await seed(services, wait=False)
    clock.set(at(services, 7, 30, 1))
    assert await morning.enqueue_due_lists(services) == 1
    assert [row.idempotency_key for row in await outbox(services)] == [
        f"morning:{route.kim}:2026-11-24",
        f"checkin:{route.kim}:2026-11-24",
    ]
    assert (await plan(services)).status is PlanStatus.SENT


async def test_a_coworker_without_a_group_gets_the_draft(
    services: Services, clock: MovableClock
) -> None:
    route = await seed(services, wait=True)
    async with services.sessions.begin() as session:
        kim = await session.get_one(Person, route.kim)
        kim.group_id = None
    clock.set(at(services, 7, 30, 1))
    assert await morning.enqueue_due_lists(services) == 1
    assert [row.kind for row in await outbox(services)] == [morning.KIND, checkins.KIND]


async def test_changing_the_policy_to_send_releases_a_held_draft(
    services: Services, clock: MovableClock
) -> None:
    route = await seed(services, wait=True)
    clock.set(at(services, 7, 31))
    assert await morning.enqueue_due_lists(services) == 0
    async with services.sessions.begin() as session:
        (await session.get_one(Group, route.group_id)).send_unapproved_drafts = True
    clock.set(at(services, 7, 32))
    assert await morning.enqueue_due_lists(services) == 1


async def test_the_notice_is_in_the_contact_persons_language(
    services: Services, clock: MovableClock
) -> None:
    await seed(services, wait=True, anna_language="en")
    clock.set(at(services, 7, 31))
    await morning.enqueue_due_lists(services)
    (notice,) = await outbox(services)
    assert notice.payload["text"] == (
        "Today's list for Kim is waiting for approval and has not been sent yet."
    )
    assert notice.payload["buttons"][0][0][0] == "Show the list"


async def test_without_a_contact_person_on_telegram_a_warning_with_ids_only(
    services: Services, clock: MovableClock, caplog: pytest.LogCaptureFixture
) -> None:
    route = await seed(services, wait=True)
    async with services.sessions.begin() as session:
        (await session.get_one(Person, route.anna)).telegram_user_id = None
    caplog.set_level(logging.WARNING, logger="bot.services.morning")
    for minute in (31, 32, 33):
        clock.set(at(services, 7, minute))
        assert await morning.enqueue_due_lists(services) == 0
    assert await outbox(services) == []  # the secondary contact person is not told
    (record,) = [r for r in caplog.records if r.name == "bot.services.morning"]
    assert record.levelno == logging.WARNING
    message = record.getMessage()
    assert str(route.kim) in message and "2026-11-24" in message
    assert "Kim" not in message and "Anna" not in message and "Vattna" not in message


async def test_without_contact_persons_the_list_is_still_held(
    services: Services, clock: MovableClock, caplog: pytest.LogCaptureFixture
) -> None:
    await seed(services, wait=True, contacts=False)
    caplog.set_level(logging.WARNING, logger="bot.services.morning")
    clock.set(at(services, 7, 31))
    assert await morning.enqueue_due_lists(services) == 0
    assert await outbox(services) == []
    assert len([r for r in caplog.records if r.name == "bot.services.morning"]) == 1
    assert (await plan(services)).status is PlanStatus.DRAFT


async def test_an_inactive_contact_person_is_not_told(
    services: Services, clock: MovableClock
) -> None:
    route = await seed(services, wait=True)
    async with services.sessions.begin() as session:
        (await session.get_one(Person, route.anna)).active = False
    clock.set(at(services, 7, 31))
    async with services.sessions() as session:
        now = services.now()
        ((_, coworker, contact),) = await plan_repo.held_for_approval(
            session, now, now - timedelta(hours=4), 0, 10
        )
    assert coworker.id == route.kim and contact is None
