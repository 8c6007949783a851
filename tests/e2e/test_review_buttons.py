"""The evening review: after drafting, the primary contact gets each co-worker's draft
with its buttons, and one message that approves them all; every button is pressed."""

from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy import select

from bot.rules.localtime import local_moment
from bot.sandbox.client import SandboxClient, SandboxMessage
from bot.services.people import contacts
from bot.services.planning import schedule
from storage.models import DayPlan, Person, PlannedTask, PlanStatus, Role, TaskTemplate
from tests.e2e.conftest import RunningBot
from tests.e2e.helpers import new_bot_message, seen
from tests.e2e.test_joining import invite, join

ANNA, BO, CIA, KIM, SARA = 2001, 2002, 2003, 1001, 1002
TITLES = ("Vattna blommorna", "Torka borden", "Sortera posten")


async def a_group_with_recurring_work(bot: RunningBot, people: SandboxClient) -> None:
    """Anna is primary contact for Kim and Sara; Kim waters the flowers and Sara wipes
    the tables every weekday; sorting the post is in the catalogue, unplanned."""
    services = bot.services
    for role, name, user in (
        (Role.SUPPORT, "Anna", ANNA),
        (Role.SUPPORT, "Bo", BO),
        (Role.COWORKER, "Kim", KIM),
        (Role.COWORKER, "Sara", SARA),
    ):
        made = await invite(services, role, name)
        await join(people, user, name, made.code)
    async with services.sessions.begin() as session:
        for title in TITLES:
            session.add(TaskTemplate(title=title, created_at=services.now()))
        await session.flush()
        for coworker, title in (("Kim", "Vattna blommorna"), ("Sara", "Torka borden")):
            await contacts.set_contacts(services, session, coworker, "Anna", "Bo")
            await schedule.repeat(
                services,
                session,
                coworker,
                title,
                weekdays=[0, 1, 2, 3, 4],
                # From tomorrow, the day reviewed: a drafting tick of today coming after
                # this (on a loaded machine) would otherwise put today's task on
                # tomorrow's list as carried over ("Har väntat 1 dag").
                starts_on=services.today() + timedelta(days=1),
            )


async def evening(bot: RunningBot) -> None:
    """The clock moves to 18:00, the draft time; the bot's own job drafts and reviews."""
    bot.clock.set(local_moment(bot.services.today(), time(18, 0), bot.services.zone))


async def press_and_wait(
    people: SandboxClient, user: int, message: SandboxMessage, label: str, starts_with: str
) -> SandboxMessage:
    """Press a button; the bot edits that message, or sends a new one."""
    known = await seen(people, user)
    await people.press(user, message.message_id, text=label)
    return await people.wait_for(
        user,
        lambda m: (
            m.from_bot
            and m.text.startswith(starts_with)
            and (m.message_id == message.message_id or m.message_id not in known)
        ),
    )


async def test_every_review_button(running_bot: RunningBot, people: SandboxClient) -> None:
    services = running_bot.services
    await a_group_with_recurring_work(running_bot, people)
    known, bos = await seen(people, ANNA), await seen(people, BO)
    await evening(running_bot)

    kims = await new_bot_message(people, ANNA, known, "Kim, ")
    saras = await new_bot_message(people, ANNA, known, "Sara, ")
    everyone = await new_bot_message(people, ANNA, known, "Det var alla 2 listor")
    assert kims.text.splitlines() == [
        "Kim, onsdag 25 november (utkast)",
        "",
        "1. Vattna blommorna (ny)",
        "Ork: vanlig dag (6 poäng). Listan väger 1.",
    ]
    assert kims.buttons() == [
        "↑ 1", "↓ 1", "🕐 1", "🤝 1", "✕ 1", "➕ Lägg till uppgift", "💪 Ork: vanlig dag (6)",
        "✅ Godkänn listan",
    ]  # fmt: skip
    assert saras.text.splitlines()[2] == "1. Torka borden (ny)"
    assert everyone.buttons() == ["✅ Godkänn alla (2)"]
    assert await seen(people, BO) == bos  # only the primary contact is asked

    picker = await press_and_wait(people, ANNA, kims, "🕐 1", "Vilken tid för")
    assert picker.message_id == kims.message_id
    assert picker.buttons()[:3] == ["07:00", "07:30", "08:00"]
    assert picker.buttons()[-2:] == ["Ingen särskild tid", "↩ Tillbaka"]
    timed = await press_and_wait(people, ANNA, picker, "10:00", "Kim, ")
    assert timed.text.splitlines()[0] == "Kim, onsdag 25 november (godkänd)"
    assert timed.text.splitlines()[2] == "1. Vattna blommorna (ny) kl 10:00"

    supported = await press_and_wait(people, ANNA, timed, "🤝 1", "Kim, ")
    await people.wait_for(ANNA, lambda m: "med stöd" in m.text)
    assert (
        "1. Vattna blommorna (ny, med stöd) kl 10:00"
        in (
            await people.wait_for(
                ANNA, lambda m: m.message_id == supported.message_id and "med stöd" in m.text
            )
        ).text
    )

    question = await press_and_wait(
        people, ANNA, supported, "➕ Lägg till uppgift", "Vilken uppgift"
    )
    assert question.text == "Vilken uppgift ska Kim göra? Skriv en del av namnet, eller välj här."
    assert question.buttons() == sorted(TITLES)
    known = await seen(people, ANNA)
    await people.send_text(ANNA, "post")
    found = await new_bot_message(people, ANNA, known, "Uppgifter med")
    assert found.buttons() == ["Sortera posten"]
    when = await press_and_wait(people, ANNA, found, "Sortera posten", "Vilken tid?")
    known = await seen(people, ANNA)
    await people.send_text(ANNA, "13.15")
    done = await new_bot_message(people, ANNA, known, "Klart!")
    assert done.text == (
        "Klart! Sortera posten ligger på listan för Kim onsdag 25 november kl 13:15."
    )
    again = await new_bot_message(people, ANNA, known, "Kim, ")
    assert again.text.splitlines()[2:] == [
        "1. Vattna blommorna (ny, med stöd) kl 10:00",
        "2. Sortera posten (ny) kl 13:15",
        "Ork: vanlig dag (6 poäng). Listan väger 2.",
    ]
    del when

    picker = await press_and_wait(people, ANNA, again, "🕐 2", "Vilken tid för")
    untimed = await press_and_wait(people, ANNA, picker, "Ingen särskild tid", "Kim, ")
    assert untimed.text.splitlines()[3] == "2. Sortera posten (ny)"
    back = await press_and_wait(people, ANNA, untimed, "🕐 1", "Vilken tid för")
    await press_and_wait(people, ANNA, back, "↩ Tillbaka", "Kim, ")

    approved = await press_and_wait(people, ANNA, everyone, "✅ Godkänn alla (2)", "Godkänt")
    assert (
        approved.text == "Godkänt för onsdag 25 november: Sara."
    )  # Kim's was approved by the edits

    tomorrow = services.today() + timedelta(days=1)
    async with services.sessions() as session:
        plans = {
            person.display_name: plan
            for plan, person in (
                await session.execute(
                    select(DayPlan, Person)
                    .join(Person, Person.id == DayPlan.coworker_id)
                    .where(DayPlan.day == tomorrow)
                )
            ).tuples()
        }
        kim_tasks = list(
            await session.scalars(
                select(PlannedTask)
                .where(PlannedTask.day_plan_id == plans["Kim"].id)
                .order_by(PlannedTask.position)
            )
        )
    assert {name: plan.status for name, plan in plans.items()} == {
        "Kim": PlanStatus.APPROVED,
        "Sara": PlanStatus.APPROVED,
    }
    assert [(t.template.title, t.time_of_day, t.with_support) for t in kim_tasks] == [
        ("Vattna blommorna", time(10, 0), True),
        ("Sortera posten", None, False),
    ]


async def test_review_buttons_refuse_what_is_not_yours(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    await a_group_with_recurring_work(running_bot, people)
    cia = await invite(running_bot.services, Role.SUPPORT, "Cia", group="Rutt 2")
    await join(people, CIA, "Cia", cia.code)
    known = await seen(people, ANNA)
    await evening(running_bot)
    kims_review = await new_bot_message(people, ANNA, known, "Kim, ")
    async with running_bot.services.sessions() as session:
        task_id = await session.scalar(select(PlannedTask.id).limit(1))
    tomorrow = (running_bot.services.today() + timedelta(days=1)).toordinal()

    async def answer(user: int, data: str) -> str:
        message = (await people.bot_messages(user))[-1]
        press = await people.press(user, message.message_id, data=data)
        return str((await people.wait_for_answer(press))["text"])

    for data in (f"C:{task_id}", f"H:{task_id}", f"Z:{tomorrow}"):
        assert await answer(KIM, data) == "Den knappen fungerar inte längre."
    assert await answer(KIM, f"A:{KIM}") == "Det här kan bara personal göra."
    for data in (f"C:{task_id}", f"Q:{task_id}0600", f"H:{task_id}", f"S:{task_id}"):
        assert await answer(CIA, data) == "Den listan kan du inte ändra."
    assert await answer(ANNA, f"Q:{task_id}7777") == "Den knappen fungerar inte längre."
    # A number no column can hold is a forged button (bot/telegram/callbacks.py); a day far
    # off is not.
    assert await answer(ANNA, "Z:99999999999") == "Den knappen fungerar inte längre."
    assert await answer(ANNA, "Z:99999999") == "Du kan se listor för idag och två veckor framåt."
    assert await answer(ANNA, "Z:1") == "Du kan se listor för idag och två veckor framåt."
    async with running_bot.services.sessions() as session:
        plans = list(await session.scalars(select(DayPlan)))
    assert [(p.status, p.approved_by_id) for p in plans] == [(PlanStatus.DRAFT, None)] * 2
    assert kims_review.buttons()[-1] == "✅ Godkänn listan"
