"""A group that waits for approval: an unapproved draft is held at the morning time; the
co-worker is told kindly that it comes a little later and the staff member responsible
now is told, once; the list goes out as soon as it is approved (the approver is told), and
past the point where it is useful both are told plainly that no list comes today."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from bot.context import Services
from bot.rules.clock import MovableClock
from bot.rules.localtime import local_moment
from bot.services import promises
from bot.services.day import checkins, morning
from bot.services.planning import plans as planning
from bot.services.safety_net import held_lists
from storage.models import (
    Absence,
    DayPlan,
    Group,
    OutboxMessage,
    Person,
    PlanStatus,
    Promise,
    Role,
    TaskTemplate,
)
from storage.repos import organisation as org_repo
from storage.repos import people

TUESDAY = date(2026, 11, 24)
KIM_CHAT, ANNA_CHAT, BO_CHAT = 5001, 6001, 6002


@dataclass(frozen=True)
class Route:
    group_id: int
    kim: int
    anna: int
    bo: int


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


async def tick(services: Services) -> int:
    """What the clock's jobs do on one tick for lists: queue due lists, then promises."""
    queued = await morning.enqueue_due_lists(services)
    await promises.run_due(services)
    return queued


async def texts_to(services: Services, chat: int) -> list[str]:
    return [row.payload["text"] for row in await outbox(services) if row.chat_id == chat]


async def promise_rows(services: Services) -> list[Promise]:
    async with services.sessions() as session:
        return list(await session.scalars(select(Promise).order_by(Promise.id)))


LATER = "God morgon Kim! Din lista för idag kommer lite senare. Jag skickar den när den är klar."
NOTICE = "Dagens lista till Kim väntar på godkännande och är inte skickad än."
NO_LIST = "Kim, idag kommer ingen lista. Du kan skriva till mig om du undrar något."
NOT_SENT = (
    "Listan till Kim för idag blev inte godkänd i tid och har inte skickats. "
    "Kim har fått veta att ingen lista kommer idag."
)


async def test_a_held_list_tells_the_coworker_and_the_contact_person_once(
    services: Services, clock: MovableClock
) -> None:
    route = await seed(services, wait=True)
    clock.set(at(services, 7, 29))
    assert await tick(services) == 0
    assert await outbox(services) == []

    clock.set(at(services, 7, 30, 5))
    assert await tick(services) == 0
    for minutes in (1, 20, 120):  # later ticks in the grace window tell nobody again
        clock.set(at(services, 7, 30, 5) + timedelta(minutes=minutes))
        assert await tick(services) == 0

    assert await texts_to(services, KIM_CHAT) == [LATER]
    assert await texts_to(services, ANNA_CHAT) == [NOTICE]
    assert await texts_to(services, BO_CHAT) == []
    notice = next(row for row in await outbox(services) if row.chat_id == ANNA_CHAT)
    assert notice.kind == morning.HELD_KIND and notice.person_id == route.anna
    held = await plan(services)
    assert notice.payload["buttons"] == [[["Visa listan", f"S:{held.id}"]]]
    assert held.status is PlanStatus.DRAFT and held.sent_at is None
    due, approval = await promise_rows(services)
    assert (due.kind, due.person_id, due.closed_at is not None) == ("list_due", route.kim, True)
    assert due.outcome == f"told coworker staff:{route.anna}"
    assert approval.kind == "list_approval" and approval.closed_at is None
    assert approval.owner_id == route.anna


async def test_approved_late_the_list_goes_out_and_the_approver_is_told(
    services: Services, clock: MovableClock
) -> None:
    route = await seed(services, wait=True)
    clock.set(at(services, 7, 31))
    assert await tick(services) == 0

    clock.set(at(services, 9, 15))
    await approve(services, by=route.anna)
    assert await tick(services) == 1
    assert await tick(services) == 0
    keys = [row.idempotency_key for row in await outbox(services)]
    plan_id = (await plan(services)).id
    assert keys == [
        f"later:{plan_id}:{route.kim}",
        f"held:{route.kim}:2026-11-24:{route.anna}",
        f"morning:{route.kim}:2026-11-24",
        f"checkin:{route.kim}:2026-11-24",
        f"sent-late:{plan_id}:{route.anna}",
    ]
    assert (await texts_to(services, ANNA_CHAT))[-1] == "Listan till Kim är skickad nu."
    sent = await plan(services)
    assert sent.status is PlanStatus.SENT and sent.sent_at is not None
    assert all(p.kept_at is not None for p in (await promise_rows(services))[1:])


async def test_an_approved_list_goes_at_the_morning_time_without_a_notice(
    services: Services, clock: MovableClock
) -> None:
    route = await seed(services, wait=True)
    await approve(services, by=route.anna)
    clock.set(at(services, 7, 30, 1))
    assert await tick(services) == 1
    assert [row.idempotency_key for row in await outbox(services)] == [
        f"morning:{route.kim}:2026-11-24",
        f"checkin:{route.kim}:2026-11-24",
    ]


async def test_never_approved_both_are_told_plainly_that_no_list_comes(
    services: Services, clock: MovableClock
) -> None:
    route = await seed(services, wait=True)
    clock.set(at(services, 7, 31))
    await tick(services)
    grace = timedelta(hours=services.settings.morning_grace_hours)
    clock.set(at(services, 7, 30) + grace + timedelta(minutes=1))
    await tick(services)
    await tick(services)
    assert await texts_to(services, KIM_CHAT) == [LATER, NO_LIST]
    assert await texts_to(services, ANNA_CHAT) == [NOTICE, NOT_SENT]
    approval = (await promise_rows(services))[-1]
    assert approval.closed_at is not None and approval.kept_at is None
    assert approval.outcome == f"not_sent coworker staff:{route.anna}"

    await approve(services, by=route.anna)  # too late now: nothing goes out
    assert await tick(services) == 0
    assert (await plan(services)).status is PlanStatus.APPROVED


async def test_an_approval_after_the_grace_window_says_so_to_the_approver(
    services: Services, clock: MovableClock
) -> None:
    route = await seed(services, wait=True)
    clock.set(at(services, 7, 31))
    await tick(services)
    grace = timedelta(hours=services.settings.morning_grace_hours)
    clock.set(at(services, 7, 30) + grace + timedelta(seconds=1))
    async with services.sessions.begin() as session:  # before the next tick
        held = await session.scalar(select(DayPlan))
        assert held is not None and held_lists.too_late(services, held)
        anna = await session.get_one(Person, route.anna)
        note = await held_lists.approved_too_late(services, session, held, anna)
    assert note == (
        "Listan skickades inte: det är för sent idag. "
        "Kim har fått veta att ingen lista kommer idag."
    )
    await tick(services)
    assert await texts_to(services, KIM_CHAT) == [LATER, NO_LIST]  # told once
    assert await texts_to(services, ANNA_CHAT) == [NOTICE]


async def test_a_group_that_sends_drafts_sends_them_as_drafted(
    services: Services, clock: MovableClock
) -> None:
    route = await seed(services, wait=False)
    clock.set(at(services, 7, 30, 1))
    assert await tick(services) == 1
    assert [row.idempotency_key for row in await outbox(services)] == [
        f"morning:{route.kim}:2026-11-24",
        f"checkin:{route.kim}:2026-11-24",
    ]
    assert (await plan(services)).status is PlanStatus.SENT
    assert await promise_rows(services) == []


async def test_a_coworker_without_a_group_gets_the_draft(
    services: Services, clock: MovableClock
) -> None:
    route = await seed(services, wait=True)
    async with services.sessions.begin() as session:
        kim = await session.get_one(Person, route.kim)
        kim.group_id = None
    clock.set(at(services, 7, 30, 1))
    assert await tick(services) == 1
    assert [row.kind for row in await outbox(services)] == [morning.KIND, checkins.KIND]


async def test_changing_the_policy_to_send_releases_a_held_draft(
    services: Services, clock: MovableClock
) -> None:
    route = await seed(services, wait=True)
    clock.set(at(services, 7, 31))
    assert await tick(services) == 0
    async with services.sessions.begin() as session:
        (await session.get_one(Group, route.group_id)).send_unapproved_drafts = True
    clock.set(at(services, 7, 32))
    assert await tick(services) == 1


async def test_the_notice_is_in_the_contact_persons_language(
    services: Services, clock: MovableClock
) -> None:
    await seed(services, wait=True, anna_language="en")
    clock.set(at(services, 7, 31))
    await tick(services)
    (notice,) = [row for row in await outbox(services) if row.chat_id == ANNA_CHAT]
    assert notice.payload["text"] == (
        "Today's list for Kim is waiting for approval and has not been sent yet."
    )
    assert notice.payload["buttons"][0][0][0] == "Show the list"


async def test_a_primary_not_on_telegram_leaves_it_to_the_secondary(
    services: Services, clock: MovableClock
) -> None:
    route = await seed(services, wait=True)
    async with services.sessions.begin() as session:
        (await session.get_one(Person, route.anna)).telegram_user_id = None
    clock.set(at(services, 7, 31))
    await tick(services)
    assert await texts_to(services, BO_CHAT) == [NOTICE]
    assert await texts_to(services, KIM_CHAT) == [LATER]


async def test_an_away_primary_leaves_it_to_the_secondary(
    services: Services, clock: MovableClock
) -> None:
    route = await seed(services, wait=True)
    async with services.sessions.begin() as session:
        session.add(
            Absence(
                person_id=route.anna,
                starts_at=at(services, 0, 0),
                ends_at=at(services, 23, 0),
            )
        )
    clock.set(at(services, 7, 31))
    await tick(services)
    assert await texts_to(services, ANNA_CHAT) == []
    assert await texts_to(services, BO_CHAT) == [NOTICE]


async def test_without_contact_persons_the_group_s_staff_is_told(
    services: Services, clock: MovableClock
) -> None:
    route = await seed(services, wait=True, contacts=False)
    clock.set(at(services, 7, 31))
    assert await tick(services) == 0
    assert await texts_to(services, ANNA_CHAT) == [NOTICE]  # the group's staff, lowest id
    assert (await plan(services)).status is PlanStatus.DRAFT
    assert route.anna < route.bo


async def test_with_no_staff_at_all_the_coworker_is_still_told(
    services: Services, clock: MovableClock, caplog: pytest.LogCaptureFixture
) -> None:
    route = await seed(services, wait=True, contacts=False)
    async with services.sessions.begin() as session:
        for staff_id in (route.anna, route.bo):
            (await session.get_one(Person, staff_id)).active = False
    caplog.set_level(logging.WARNING, logger="bot.services.safety_net.held_lists")
    clock.set(at(services, 7, 31))
    await tick(services)
    assert await texts_to(services, KIM_CHAT) == [LATER]
    (due, _approval) = await promise_rows(services)
    assert due.outcome == "told coworker no_staff"
    (record,) = [r for r in caplog.records if r.name == "bot.services.safety_net.held_lists"]
    assert str(route.kim) in record.getMessage() and "Kim" not in record.getMessage()


async def test_first_looked_at_after_the_grace_window_says_it_plainly(
    services: Services, clock: MovableClock
) -> None:
    route = await seed(services, wait=True)
    async with services.sessions.begin() as session:  # the evening review made its promise
        held = await session.get_one(DayPlan, (await plan(services)).id)
        await held_lists.promise_list(services, session, held, None)
    grace = timedelta(hours=services.settings.morning_grace_hours)
    clock.set(at(services, 7, 30) + grace + timedelta(minutes=5))  # the bot was down
    await tick(services)
    assert await texts_to(services, KIM_CHAT) == [NO_LIST]  # not "later" when it cannot be
    assert await texts_to(services, ANNA_CHAT) == [NOT_SENT]
    (due,) = await promise_rows(services)
    assert due.outcome == f"not_sent coworker staff:{route.anna}"


async def test_a_day_that_passed_unsent_says_nothing_on_another_day(
    services: Services, clock: MovableClock
) -> None:
    await seed(services, wait=True)
    async with services.sessions.begin() as session:
        held = await session.get_one(DayPlan, (await plan(services)).id)
        await held_lists.promise_list(services, session, held, None)
    clock.set(at(services, 7, 30) + timedelta(days=1))  # the bot was down all Tuesday
    await promises.run_due(services)
    assert await outbox(services) == []
    (due,) = await promise_rows(services)
    assert due.closed_at is not None and due.outcome == "day_passed_unsent"


@pytest.mark.parametrize("approved_at", [None, (7, 0), (9, 0), (12, 0)])
@pytest.mark.parametrize("away", [(), ("anna",), ("anna", "bo")])
async def test_every_way_a_held_day_can_go_ends_with_a_list_or_a_word(
    services: Services,
    clock: MovableClock,
    approved_at: tuple[int, int] | None,
    away: tuple[str, ...],
) -> None:
    """Whenever the approval comes (or never) and whoever is away, Kim gets the list or
    is told there is none, never both; a staff member who is not away hears of a list
    that is late; and every promise ends kept or with what was done."""
    route = await seed(services, wait=True)
    async with services.sessions.begin() as session:
        for name in away:
            session.add(
                Absence(
                    person_id=getattr(route, name),
                    starts_at=at(services, 0, 0),
                    ends_at=at(services, 23, 0),
                )
            )
    moments = [(7, 29), (7, 30), (7, 31), (10, 0), (11, 31), (11, 32), (13, 0)]
    if approved_at is not None:
        moments = sorted({*moments, approved_at})
    for hour, minute in moments:
        clock.set(at(services, hour, minute, 5))
        if (hour, minute) == approved_at:
            await approve(services, by=route.bo)
        await tick(services)

    keys = [row.idempotency_key for row in await outbox(services)]
    kims = await texts_to(services, KIM_CHAT)
    got_list = f"morning:{route.kim}:2026-11-24" in keys
    assert got_list != (NO_LIST in kims)  # a list, or told there is none: never both
    on_time = approved_at is not None and approved_at < (7, 30)
    assert (LATER in kims) == (not on_time)
    staff_texts = {
        name: await texts_to(services, chat)
        for name, chat in (("anna", ANNA_CHAT), ("bo", BO_CHAT))
    }
    if not on_time:
        told = [name for name, texts in staff_texts.items() if NOTICE in texts]
        assert len(told) == 1
        if len(away) < 2:
            assert told[0] not in away
    if got_list and not on_time:
        assert "Listan till Kim är skickad nu." in staff_texts["bo"]
    for promise in await promise_rows(services):
        assert promise.closed_at is not None and promise.outcome
