"""A group that waits for approval: at the morning time the co-worker is told kindly that
the list comes a little later and their contact person is told; the contact person
approves, the list goes out and the approver is told. Approved too late, nothing is sent
and both know it; `/today` never shows the unapproved draft as the day's list."""

from __future__ import annotations

import asyncio
from datetime import time

from sqlalchemy import select
from typer.testing import CliRunner

from bot.cli.main import app as cli
from bot.rules.localtime import local_moment
from bot.sandbox.client import SandboxClient
from bot.sandbox.server import SandboxServer
from bot.services.day import checkins, morning
from bot.services.planning import plans as planning
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
from tests.conftest import Database
from tests.e2e.conftest import RunningBot, cli_env
from tests.e2e.test_joining import invite, join

KIM, ANNA = 1001, 2001
NOTICE = "Dagens lista till Kim väntar på godkännande och är inte skickad än."
LATER = "God morgon Kim! Din lista för idag kommer lite senare. Jag skickar den när den är klar."
WAITING = "Din lista för idag är inte klar än. Jag skickar den när den är klar."
NO_LIST = "Kim, idag kommer ingen lista. Du kan skriva till mig om du undrar något."


def vardag(database: Database, sandbox: SandboxServer, *args: str) -> str:
    result = CliRunner().invoke(cli, list(args), env=cli_env(database, sandbox))
    assert result.exit_code == 0, result.output
    return result.output


async def held_list_for_kim(
    running_bot: RunningBot, people: SandboxClient, sandbox: SandboxServer, database: Database
) -> int:
    """Rutt 1 waits for approval; Anna (primary) and Bo for Kim, who has a task today.
    Anna's id."""
    services = running_bot.services
    anna = await invite(services, Role.SUPPORT, "Anna", group="Rutt 1")
    await join(people, ANNA, "Anna", anna.code)
    await invite(services, Role.SUPPORT, "Bo", group="Rutt 1")
    kim = await invite(services, Role.COWORKER, "Kim", group="Rutt 1")
    await join(people, KIM, "Kim", kim.code)
    out = await asyncio.to_thread(vardag, database, sandbox, "group", "drafts", "Rutt 1", "wait")
    assert out.startswith("I Rutt 1 väntar listan på godkännande innan den skickas.")
    contacts = ("contacts", "set", "Kim", "--primary", "Anna", "--secondary", "Bo")
    await asyncio.to_thread(vardag, database, sandbox, *contacts)
    async with services.sessions.begin() as session:
        template = TaskTemplate(title="Vattna blommorna", created_at=services.now())
        session.add(template)
        await session.flush()
        coworker = await session.get_one(Person, kim.person.id)
        await planning.add_task(
            services, session, coworker=coworker, template=template, day=services.today()
        )
    return anna.person.id


async def test_a_held_list_goes_out_once_the_contact_person_approves_it(
    running_bot: RunningBot, people: SandboxClient, sandbox: SandboxServer, database: Database
) -> None:
    services = running_bot.services
    anna_id = await held_list_for_kim(running_bot, people, sandbox, database)
    today = services.today()

    await people.send_text(KIM, "/today")  # before the morning: the draft is not the list
    await people.wait_for(KIM, lambda m: m.text == WAITING)

    running_bot.clock.set(local_moment(today, time(8, 0, 1), services.zone))
    notice = await people.wait_for(ANNA, lambda m: m.text == NOTICE)
    assert notice.buttons() == ["Visa listan"]
    await people.wait_for(KIM, lambda m: m.text == LATER)
    await asyncio.sleep(0.5)  # several scheduler ticks: still held, and told only once
    assert [m.text for m in await people.bot_messages(KIM)].count(LATER) == 1
    assert not [
        m for m in await people.bot_messages(KIM) if m.text.startswith("God morgon Kim! Idag")
    ]
    assert [m.text for m in await people.bot_messages(ANNA)].count(NOTICE) == 1
    async with services.sessions() as session:
        plan = await session.scalar(select(DayPlan).where(DayPlan.day == today))
    assert plan is not None and plan.status is PlanStatus.DRAFT and plan.sent_at is None

    await people.press(ANNA, notice.message_id, text="Visa listan")
    shown = await people.wait_for(
        ANNA, lambda m: m.message_id == notice.message_id and m.text.startswith("Kim, tisdag")
    )
    assert shown.text.splitlines()[0] == "Kim, tisdag 24 november (utkast)"
    assert "1. Vattna blommorna (ny)" in shown.text
    await people.press(ANNA, notice.message_id, text="✅ Godkänn listan")
    await people.wait_for(
        ANNA, lambda m: m.message_id == notice.message_id and "(godkänd)" in m.text
    )

    listed = await people.wait_for(KIM, lambda m: m.text.startswith("God morgon Kim! Idag"))
    assert "1. Vattna blommorna (ny)" in listed.text
    assert listed.buttons() == ["1. Vattna blommorna", "🙋 Jag behöver hjälp"]
    await people.wait_for(ANNA, lambda m: m.text == "Listan till Kim är skickad nu.")

    async with services.sessions() as session:
        plan = await session.scalar(select(DayPlan).where(DayPlan.day == today))
    assert plan is not None and plan.status is PlanStatus.SENT
    assert plan.approved_by_id == anna_id
    assert await outbox_when_sent(running_bot) == [
        (held_lists.NOTE_KIND, ANNA, OutboxStatus.SENT),  # Kim joined
        (held_lists.NOTE_KIND, KIM, OutboxStatus.SENT),
        (morning.HELD_KIND, ANNA, OutboxStatus.SENT),
        (morning.KIND, KIM, OutboxStatus.SENT),
        (checkins.KIND, KIM, OutboxStatus.SENT),
        (held_lists.NOTE_KIND, ANNA, OutboxStatus.SENT),
    ]


async def test_approved_too_late_nothing_is_sent_and_both_are_told(
    running_bot: RunningBot, people: SandboxClient, sandbox: SandboxServer, database: Database
) -> None:
    services = running_bot.services
    await held_list_for_kim(running_bot, people, sandbox, database)
    today = services.today()
    running_bot.clock.set(local_moment(today, time(8, 0, 1), services.zone))
    notice = await people.wait_for(ANNA, lambda m: m.text == NOTICE)
    await people.wait_for(KIM, lambda m: m.text == LATER)

    grace = services.settings.morning_grace_hours
    running_bot.clock.set(local_moment(today, time(8 + grace, 1), services.zone))
    await people.wait_for(KIM, lambda m: m.text == NO_LIST)
    await people.wait_for(ANNA, lambda m: m.text.startswith("Listan till Kim för idag blev inte"))
    await people.send_text(KIM, "/today")  # still not approved: not shown as the day's list
    await people.wait_for(KIM, lambda m: m.text == WAITING)

    await people.press(ANNA, notice.message_id, text="Visa listan")
    await people.wait_for(ANNA, lambda m: m.message_id == notice.message_id and m.edited > 0)
    await people.press(ANNA, notice.message_id, text="✅ Godkänn listan")
    answered = await people.wait_for(
        ANNA, lambda m: m.message_id == notice.message_id and "(godkänd)" in m.text
    )
    assert answered.text.endswith(
        "Listan skickades inte: det är för sent idag. "
        "Kim har fått veta att ingen lista kommer idag."
    )
    await asyncio.sleep(0.5)  # several ticks: the list is not sent, Kim is not told twice
    kims = [m.text for m in await people.bot_messages(KIM)]
    assert kims.count(NO_LIST) == 1
    assert not [text for text in kims if text.startswith("God morgon Kim! Idag")]


async def outbox_when_sent(bot: RunningBot) -> list[tuple[str, int, OutboxStatus]]:
    """The outbox rows, once the sender has recorded them (just after Telegram took them)."""
    for _ in range(50):
        async with bot.services.sessions() as session:
            rows = list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
        if all(r.status is not OutboxStatus.PENDING for r in rows):
            break
        await asyncio.sleep(0.1)
    return [(r.kind, r.chat_id, r.status) for r in rows]
