"""A week of plans through the sandbox: recurrences, holidays, carry-over and deferral.

Kim (a co-worker, stamina 5) has three recurring tasks and three one-off tasks. The
test only moves the clock to each morning, presses buttons as Kim and Anna (Kim's
primary contact person) and reads what they see: the bot's own jobs draft and
deliver every list.

The scenario, around New Year and Epiphany (trettondedag jul) 2027::

    Fri  1 Jan  New Year's Day: nothing (Torka borden is every weekday, not holidays)
    Sat, Sun    nothing
    Mon  4 Jan  Sortera posten (once) + Torka borden, Vattna blommorna, Tömma
                papperskorgarna (its week) = 5 of 5. Kim does all but Sortera posten.
    Tue  5 Jan  Sortera posten (carried) + Torka borden. Kim does Torka borden.
    Wed  6 Jan  Epiphany: only Plocka undan julpyntet (planned once on that date).
    Thu  7 Jan  Bära kartonger (once, heavy) + Sortera posten (carried) + Torka borden
                = 5; Vattna blommorna does not fit and is moved to Friday.
    Fri  8 Jan  Sortera posten, Vattna blommorna (both waiting) + Torka borden, Tömma
                papperskorgarna (its week). Kim does everything.
    Sat, Sun    nothing
    Mon 11 Jan  Torka borden, Vattna blommorna (not Tömma papperskorgarna: off week).
"""

from __future__ import annotations

import asyncio
import re
from datetime import date, time, timedelta

from sqlalchemy import select

from bot.context import Services
from bot.rules.localtime import local_moment
from bot.sandbox.client import SandboxClient, SandboxMessage
from bot.services.people import contacts
from bot.services.people.organisation import find_coworker
from bot.services.planning import add_task
from jobs.drafting import DRAFTED
from storage.models import DayPlan, PlanStatus, Role, TaskStatus, TaskTemplate, TemplateStep
from tests.e2e.conftest import RunningBot
from tests.e2e.helpers import new_bot_message, seen, sent_and_recorded
from tests.e2e.test_joining import invite, join

KIM, ANNA = 1001, 2001
MORNING = time(7, 30)  # Kim's morning time, chosen when joining
CAPACITY = 5  # Kim's stamina points per day

# The catalogue, in the order it is made (the order breaks ties among recurring tasks).
TABLES = "Torka borden"  # strain 1, every weekday
PLANTS = "Vattna blommorna"  # strain 1, Mondays and Thursdays
BINS = "Tömma papperskorgarna"  # strain 2, Mondays and Fridays every other week
POST = "Sortera posten"  # strain 1, once, on Monday 4 January
DECORATIONS = "Plocka undan julpyntet"  # strain 1, once, on Epiphany
BOXES = "Bära kartonger"  # strain 3, once, on Thursday 7 January
STRAIN = {TABLES: 1, PLANTS: 1, BINS: 2, POST: 1, DECORATIONS: 1, BOXES: 3}

NEW_YEAR = date(2027, 1, 1)  # nyårsdagen, a Friday
MON, TUE, EPIPHANY, THU, FRI, SAT, SUN = (date(2027, 1, d) for d in range(4, 11))
NEXT_MON = date(2027, 1, 11)
RECURRING_FROM = date(2026, 12, 28)  # the Monday before New Year

CAPACITY_REASON = "dagen var redan full (orken räckte inte till fler uppgifter)"


# --- setting up -------------------------------------------------------------------------


async def people_join(bot: RunningBot, people: SandboxClient) -> None:
    """Anna and Johan are Kim's contact persons; Kim and Anna join in chat."""
    services = bot.services
    anna = await invite(services, Role.SUPPORT, "Anna", group="Rutt 1")
    await invite(services, Role.SUPPORT, "Johan", group="Rutt 1")
    kim = await invite(services, Role.COWORKER, "Kim", group="Rutt 1")
    await join(people, ANNA, "Anna", anna.code)
    question = await join(people, KIM, "Kim", kim.code)
    await people.press(KIM, question.message_id, text="Svenska")
    when = await people.wait_for(KIM, lambda m: m.text.startswith("När vill du få din lista"))
    await people.press(KIM, when.message_id, text=MORNING.strftime("%H:%M"))
    await people.wait_for(KIM, lambda m: m.text.startswith("Bra! Din lista kommer klockan"))
    async with services.sessions.begin() as session:
        await contacts.set_contacts(services, session, "Kim", "Anna", "Johan")


async def plan_the_weeks(services: Services) -> None:
    """The catalogue, Kim's stamina, the recurrences and the one-off tasks."""
    async with services.sessions.begin() as session:
        for title, strain in STRAIN.items():
            session.add(
                TaskTemplate(
                    title=title,
                    strain=strain,
                    instructions=f"Så här gör du: {title.lower()}.",
                    created_at=services.now(),
                    steps=[TemplateStep(position=1, text="Gör det lugnt.")],
                    attachments=[],
                )
            )
            await session.flush()
        kim = await find_coworker(session, "Kim")
        kim.capacity = CAPACITY
        await add_task.repeat(
            services, session, "Kim", TABLES, weekdays=[0, 1, 2, 3, 4], starts_on=RECURRING_FROM
        )
        await add_task.repeat(
            services, session, "Kim", PLANTS, weekdays=[0, 3], starts_on=RECURRING_FROM
        )
        await add_task.repeat(
            services, session, "Kim", BINS, weekdays=[0, 4], every_other_week=True, starts_on=MON
        )
        await add_task.once(services, session, "Kim", POST, day=MON)
        await add_task.once(services, session, "Kim", DECORATIONS, day=EPIPHANY)
        await add_task.once(services, session, "Kim", BOXES, day=THU)


# --- moving through the days ------------------------------------------------------------


def move_clock(bot: RunningBot, day: date, at: time) -> None:
    bot.clock.set(local_moment(day, at, bot.services.zone) + timedelta(seconds=1))


async def jobs_have_drafted(bot: RunningBot, day: date, which: str = "today") -> None:
    """Wait until the morning job has run its drafting for ``day`` (``"today"``: the
    morning safety net; ``"ahead"``: the evening run for the coming days)."""
    for _ in range(200):
        if bot.application.bot_data.get(DRAFTED, {}).get(which) == day:
            await asyncio.sleep(0.5)  # a few more ticks of the morning job and the outbox
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the bot did not draft {which} for {day}")


async def kims_morning(bot: RunningBot, people: SandboxClient, day: date) -> SandboxMessage:
    """Move the clock to Kim's morning time on ``day`` and wait for the list."""
    known = await seen(people, KIM)
    move_clock(bot, day, MORNING)
    morning = await new_bot_message(people, KIM, known, "God morgon Kim!")
    # The list is edited as tasks are done once the sender has recorded its message id.
    await sent_and_recorded(bot.services, KIM, morning.message_id)
    return morning


async def quiet_morning(bot: RunningBot, people: SandboxClient, day: date) -> None:
    """Kim's morning time on ``day`` comes and goes, and nothing is sent."""
    known = await seen(people, KIM)
    move_clock(bot, day, MORNING)
    await jobs_have_drafted(bot, day)
    assert [m.text for m in await people.bot_messages(KIM) if m.message_id not in known] == []
    assert await plan_on(bot.services, day) is None


def task_lines(message: SandboxMessage) -> list[str]:
    """The numbered task lines of a list, as shown."""
    return [line for line in message.text.splitlines() if re.match(r"\d+\. ", line)]


async def done(people: SandboxClient, morning: SandboxMessage, title: str) -> None:
    """As Kim: open the task from the morning list and press ✅ Klar on its card."""
    (label,) = [b for b in morning.buttons() if b.endswith(f". {title}")]
    known = await seen(people, KIM)
    await people.press(KIM, morning.message_id, text=label)
    card = await new_bot_message(people, KIM, known, title)
    await people.press(KIM, card.message_id, text="✅ Klar")
    answered = await people.wait_for(
        KIM,
        lambda m: (
            m.message_id == card.message_id
            and ("Klart! Bra jobbat." in m.text or "Är allt klart?" in m.text)
        ),
    )
    if "Är allt klart?" in answered.text:  # a first-time card shows its steps, none ticked
        await people.press(KIM, card.message_id, text="✅ Ja, allt är klart")
        await people.wait_for(
            KIM, lambda m: m.message_id == card.message_id and "Klart! Bra jobbat." in m.text
        )
    await people.wait_for(
        KIM, lambda m: m.message_id == morning.message_id and f"✅ {label}" in m.buttons()
    )


async def plan_on(services: Services, day: date) -> DayPlan | None:
    async with services.sessions() as session:
        return await session.scalar(select(DayPlan).where(DayPlan.day == day))


async def sent_plan(services: Services, day: date, titles: list[str]) -> DayPlan:
    """Kim's plan for ``day`` is sent, with these tasks in this order."""
    plan = await plan_on(services, day)
    assert plan is not None and plan.status is PlanStatus.SENT, plan
    assert [task.template.title for task in plan.tasks] == titles
    return plan


async def anna_opens_plan(people: SandboxClient, day_button: str) -> list[str]:
    """As Anna: /plan → Kim → the day; the lines of the list she is shown."""
    known = await seen(people, ANNA)
    await people.send_text(ANNA, "/plan")
    view = await new_bot_message(people, ANNA, known, "Vems lista vill du se?")
    await people.press(ANNA, view.message_id, text="Kim")
    await people.wait_for(
        ANNA, lambda m: m.message_id == view.message_id and m.text == "Vilken dag för Kim?"
    )
    await people.press(ANNA, view.message_id, text=day_button)
    shown = await people.wait_for(
        ANNA, lambda m: m.message_id == view.message_id and m.text.startswith("Kim, ")
    )
    return shown.text.splitlines()


# --- the week ---------------------------------------------------------------------------


async def test_a_week_of_plans_with_recurrences_holidays_carry_over_and_deferral(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    bot, services = running_bot, running_bot.services
    # This test is about planning: Telegram's ~1 message/s per chat (which the sandbox
    # keeps, and the outbox tests cover) would only make Kim's presses slow here.
    await people.set_limits(chat_per_second=50, chat_burst=50)
    assert (NEW_YEAR.weekday(), EPIPHANY.weekday(), SAT.weekday()) == (4, 2, 5)
    await people_join(bot, people)
    await plan_the_weeks(services)

    # New Year's Day and the weekend after it: no list, though Torka borden is every weekday.
    for day in (NEW_YEAR, NEW_YEAR + timedelta(days=1), NEW_YEAR + timedelta(days=2)):
        await quiet_morning(bot, people, day)

    # Monday: the one-off first, then the recurring tasks of the day; all new to Kim.
    monday = await kims_morning(bot, people, MON)
    assert monday.text.startswith("God morgon Kim! Idag är det måndag 4 januari.")
    assert task_lines(monday) == [
        f"1. {POST} (ny)",
        f"2. {TABLES} (ny)",
        f"3. {PLANTS} (ny)",
        f"4. {BINS} (ny)",
    ]
    await sent_plan(services, MON, [POST, TABLES, PLANTS, BINS])
    for title in (TABLES, PLANTS, BINS):
        await done(people, monday, title)

    # Tuesday: what Kim did not finish waits first; Torka borden is familiar now. (Kim's
    # list does not say how long a task has waited; Anna's /plan does, see Thursday.)
    tuesday = await kims_morning(bot, people, TUE)
    assert task_lines(tuesday) == [f"1. {POST} (från igår)", f"2. {TABLES}"]
    plan = await sent_plan(services, TUE, [POST, TABLES])
    assert plan.tasks[0].carried_from == MON
    monday_plan = await plan_on(services, MON)
    assert monday_plan is not None
    assert {t.template.title: t.status for t in monday_plan.tasks} == {
        POST: TaskStatus.CARRIED_OVER,
        TABLES: TaskStatus.DONE,
        PLANTS: TaskStatus.DONE,
        BINS: TaskStatus.DONE,
    }
    await done(people, tuesday, TABLES)

    # Epiphany: no recurring task and nothing carried, only what was planned on the date.
    epiphany = await kims_morning(bot, people, EPIPHANY)
    assert epiphany.text.startswith("God morgon Kim! Idag är det onsdag 6 januari.")
    assert task_lines(epiphany) == [f"1. {DECORATIONS} (ny)"]
    await sent_plan(services, EPIPHANY, [DECORATIONS])
    await done(people, epiphany, DECORATIONS)

    # Thursday: the one-off (3) + the oldest waiting task (1) + Torka borden (1) fill
    # the day; Vattna blommorna, the later recurring task, is moved to Friday.
    thursday = await kims_morning(bot, people, THU)
    # Kim saw Sortera posten on Tuesday's list (Wednesday was a holiday): not new.
    assert task_lines(thursday) == [
        f"1. {BOXES} (ny)",
        f"2. {POST} (från i tisdags)",
        f"3. {TABLES}",
    ]
    await sent_plan(services, THU, [BOXES, POST, TABLES])
    shown = await anna_opens_plan(people, "tors 7/1")
    assert shown == [
        "Kim, torsdag 7 januari (skickad)",
        "",
        f"1. {BOXES} (ny)",
        f"2. {POST} (från i tisdags) – Har väntat 3 dagar.",
        f"3. {TABLES}",
        f"{PLANTS} är flyttad till fredag 8 januari: {CAPACITY_REASON}.",
        "Ork: vanlig dag (5 poäng). Listan väger 5.",
    ]
    shown = await anna_opens_plan(people, "fre 8/1")
    assert shown[0] == "Kim, fredag 8 januari (utkast)"
    assert f"1. {PLANTS} – Har väntat 1 dag." in shown
    friday_draft = await plan_on(services, FRI)
    assert friday_draft is not None and friday_draft.status is PlanStatus.DRAFT
    (moved,) = friday_draft.tasks
    assert (moved.template.title, moved.deferred_from, moved.deferred_reason) == (
        PLANTS,
        THU,
        "capacity",
    )
    await done(people, thursday, BOXES)
    await done(people, thursday, TABLES)

    # Friday: the two waiting tasks, oldest first, then the day's recurring tasks.
    friday = await kims_morning(bot, people, FRI)
    # Vattna blommorna was moved from Thursday's draft, so Kim never saw it there.
    assert task_lines(friday) == [
        f"1. {POST} (från igår)",
        f"2. {PLANTS}",
        f"3. {TABLES}",
        f"4. {BINS}",
    ]
    plan = await sent_plan(services, FRI, [POST, PLANTS, TABLES, BINS])
    assert [t.carried_from for t in plan.tasks] == [MON, THU, None, None]
    for title in (POST, PLANTS, TABLES, BINS):
        await done(people, friday, title)
    await people.wait_for(
        KIM, lambda m: m.message_id == friday.message_id and "Allt är klart för idag" in m.text
    )

    # Friday evening: the bot drafts up to the next working day; the weekend stays empty.
    move_clock(bot, FRI, services.settings.draft_time)
    await jobs_have_drafted(bot, FRI, "ahead")
    next_monday = await plan_on(services, NEXT_MON)
    assert next_monday is not None and next_monday.status is PlanStatus.DRAFT
    assert [t.template.title for t in next_monday.tasks] == [TABLES, PLANTS]
    for day in (SAT, SUN):
        await quiet_morning(bot, people, day)

    # The next Monday: nothing left over; Tömma papperskorgarna is off this week.
    monday = await kims_morning(bot, people, NEXT_MON)
    assert monday.text.startswith("God morgon Kim! Idag är det måndag 11 januari.")
    assert task_lines(monday) == [f"1. {TABLES}", f"2. {PLANTS}"]
    await sent_plan(services, NEXT_MON, [TABLES, PLANTS])
