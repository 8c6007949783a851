"""A whole week for one co-worker, through the sandbox, with a moving clock.

Kim (a co-worker) joins on Sunday with an invite; Anna (a support person) is Kim's first
contact person and on duty weekdays 07–16. The test only moves the clock, presses
buttons as Kim (and once as Anna) and reads what Kim sees and what the database holds:
the bot's own jobs draft, send, remind and sum up. This organisation allows five
reminders a day (``VARDAG_DAILY_REMINDER_CAP``); repeats are the defaults (two, 15
minutes apart, sent up to 30 minutes late after a restart).

The week around Epiphany (trettondedag jul) 2027::

    Sun  3 Jan  Kim and Anna join (Kim mistypes the morning time once, and sends /start
                again); the catalogue and Kim's plans are set up.
    Mon  4 Jan  08:00 the list, then "Hur mår du idag?". Vattna blommorna the first time:
                everything, a picture and a place; two of three steps ticked, "Är allt
                klart?". Sortera posten 10:00: heads-up at 09:45, the reminder, Senare →
                15 min, the snooze reminder, Klar. Torka borden is not touched; the
                summary at 15:30 names what was done and says Torka borden moves.
    Tue  5 Jan  Torka borden carried over; Vattna blommorna familiar (one line, "Visa
                stegen", every step); Torka borden "Inte idag" (hann inte); Sortera posten
                unanswered: the reminder, two repeats, nothing more. The bot stops at
                10:45 and starts again at 13:10: 12:00 Hämta tidningarna is recorded as
                missed, 13:00 Fylla på kaffet is still sent (the fifth reminder of the
                day), and its repeat is held back by the daily cap. Summary: "på torsdag".
    Wed  6 Jan  Epiphany: no list, no check-in, no reminders; /today says so (after a
                command the bot does not know).
    Thu  7 Jan  Kim's quiet hours become 11–13: Senare → 1 timme would land in them (no
                more reminders today), the 12:00 reminder is not sent. Help with Torka
                borden; Anna takes it. /today. Summary: "1 sak".
    Fri  8 Jan  Every kind of bad press: yesterday's check-in, Monday's list, Monday's
                reminder, Klar twice, Senare on a done task. A task done with support is
                added to the sent list. Summary: "på måndag"; the evening drafting; /week
                and /history.
    Sat, Sun    Nothing is sent.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings
from bot.context import Services
from bot.rules.clock import MovableClock
from bot.rules.localtime import local_moment
from bot.sandbox.client import CallbackAnswer, SandboxClient, SandboxMessage
from bot.sandbox.server import SandboxServer
from bot.services.people import contacts, rota
from bot.services.planning import add_task
from storage.models import (
    Attachment,
    AttachmentKind,
    CheckIn,
    DayPlan,
    OutboxMessage,
    Person,
    PlannedTask,
    PlanStatus,
    Reminder,
    ReminderKind,
    ReminderStatus,
    Role,
    TaskStatus,
    TaskTemplate,
    TemplateStep,
)
from tests.e2e.conftest import RunningBot
from tests.e2e.helpers import seen, sent_and_recorded
from tests.e2e.test_joining import invite, join
from tests.e2e.test_planning_week import jobs_have_drafted
from tests.e2e.test_reminders import bot_running, reminders_of
from tests.e2e.test_task_card import ANSWER_ROWS, REASONS

KIM, ANNA = 1001, 2001
CAP = 5  # reminders a day to one co-worker, in this organisation
PATIENCE = 30.0  # seconds to wait for the bot at most (a busy machine is slow, not wrong)

SUN, MON, TUE, WED, THU, FRI, SAT, NEXT_SUN = (date(2027, 1, d) for d in range(3, 11))
NEXT_MON = date(2027, 1, 11)
MORNING = time(8, 0)  # Kim's morning time, chosen when joining
END_OF_DAY = time(15, 30)  # the summary (the default setting)

# The catalogue.
PLANTS = "Vattna blommorna"  # every weekday; steps, a picture, a place and a link
POST = "Sortera posten"  # every weekday at 10:00, heads-up 15 minutes before
TABLES = "Torka borden"  # once, on Monday
PAPERS = "Hämta tidningarna"  # once, Tuesday at 12:00
COFFEE = "Fylla på kaffet"  # once, Tuesday at 13:00
BINS = "Tömma papperskorgarna"  # with support; put on Friday's list after it was sent
PLANT_STEPS = ("Hämta kannan i förrådet.", "Fyll kannan med vatten.", "Vattna varje kruka lite.")
PLANT_LINES = "Så här gör du:\n" + "\n".join(f"{n}. {s}" for n, s in enumerate(PLANT_STEPS, 1))

HELP = "🙋 Jag behöver hjälp"
CHECK_IN = "Hur mår du idag?"
MORNING_ANSWERS = ["🟢 Bra", "🟡 Sådär", "🔴 Inte bra"]
EVENING_ANSWERS = ["😊 Bra dag", "😐 Okej", "😞 Tung dag"]
REMINDER_BUTTONS = ["Visa uppgiften", "✅ Klar", "⏰ Senare"]
LATER_CHOICES = ["15 min", "30 min", "1 timme"]


@dataclass
class Week:
    """The running bot (a new one after the restart), the people, and the messages the
    story comes back to later in the week."""

    people: SandboxClient
    bot: RunningBot
    photo: str
    kim_id: int = 0
    kept: dict[str, SandboxMessage] = field(default_factory=dict)

    @property
    def services(self) -> Services:
        return self.bot.services

    def clock_to(self, day: date, at: time) -> None:
        self.bot.clock.set(local_moment(day, at, self.services.zone))


# --- acting as Kim and waiting for the bot ------------------------------------------------


async def new_message(
    people: SandboxClient, known: set[int], starts_with: str = ""
) -> SandboxMessage:
    return await people.wait_for(
        KIM,
        lambda m: m.from_bot and m.message_id not in known and m.text.startswith(starts_with),
        timeout=PATIENCE,
    )


async def when_clock_reaches(week: Week, day: date, at: time, starts_with: str) -> SandboxMessage:
    """Move the clock and wait for the message the bot's jobs send then."""
    known = await seen(week.people, KIM)
    week.clock_to(day, at)
    message = await new_message(week.people, known, starts_with)
    # Its buttons act on it (the list is edited in place) once its id is recorded.
    await sent_and_recorded(week.bot.services, KIM, message.message_id)
    return message


async def a_few_ticks() -> None:
    """Time for the jobs (every 0.1 s here) to look at a new hour where nothing is due;
    what they must not do is checked in the database and in the chat afterwards."""
    await asyncio.sleep(0.5)


async def ask(people: SandboxClient, typed: str, starts_with: str = "") -> SandboxMessage:
    """Kim types something (a command, a time) and gets an answer."""
    known = await seen(people, KIM)
    await people.send_text(KIM, typed)
    return await new_message(people, known, starts_with)


async def press_for_new(
    people: SandboxClient, message: SandboxMessage, label: str, starts_with: str = ""
) -> SandboxMessage:
    """Press a button and wait for the new message it brings."""
    known = await seen(people, KIM)
    await people.press(KIM, message.message_id, text=label)
    return await new_message(people, known, starts_with)


async def open_task(people: SandboxClient, listed: SandboxMessage, label: str) -> SandboxMessage:
    """Press a task on a list ("2. Torka borden") and wait for its card."""
    return await press_for_new(people, listed, label, label.split(". ", 1)[1])


async def press_in_place(
    people: SandboxClient,
    message: SandboxMessage,
    *,
    text: str | None = None,
    data: str | None = None,
) -> tuple[SandboxMessage, CallbackAnswer]:
    """Press a button and wait until the message it is on has been edited."""
    before = next(m for m in await people.messages(KIM) if m.message_id == message.message_id)
    query = await people.press(KIM, message.message_id, text=text, data=data)
    edited = await people.wait_for(
        KIM,
        lambda m: m.message_id == message.message_id and m.edited > before.edited,
        timeout=PATIENCE,
    )
    return edited, await people.wait_for_answer(query, timeout=PATIENCE)


async def answer_of(
    people: SandboxClient,
    message: SandboxMessage,
    *,
    text: str | None = None,
    data: str | None = None,
) -> CallbackAnswer:
    """The short answer a press gets (a toast or an alert)."""
    query = await people.press(KIM, message.message_id, text=text, data=data)
    return await people.wait_for_answer(query, timeout=PATIENCE)


async def until(check: Callable[[], Awaitable[bool]], what: str) -> None:
    """Wait until the database shows what the bot's jobs are about to record."""
    for _ in range(int(PATIENCE / 0.05)):
        if await check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the database never showed: {what}")


def reminder_texts(messages: list[SandboxMessage]) -> list[str]:
    starts = ("Om ", "Nu är det dags")
    return [m.text for m in messages if m.text.startswith(starts) or "väntar fortfarande" in m.text]


# --- what the database holds --------------------------------------------------------------


async def plan_on(services: Services, day: date) -> DayPlan | None:
    async with services.sessions() as session:
        return await session.scalar(select(DayPlan).where(DayPlan.day == day))


async def task_on(services: Services, day: date, title: str) -> PlannedTask:
    async with services.sessions() as session:
        task = await session.scalar(
            select(PlannedTask)
            .join(DayPlan, DayPlan.id == PlannedTask.day_plan_id)
            .join(TaskTemplate, TaskTemplate.id == PlannedTask.template_id)
            .where(DayPlan.day == day, TaskTemplate.title == title)
        )
    assert task is not None, (day, title)
    return task


async def reminders_on(services: Services, day: date, title: str) -> dict[ReminderKind, Reminder]:
    return await reminders_of(services, (await task_on(services, day, title)).id)


def start_of(services: Services, day: date) -> datetime:
    return local_moment(day, time(0), services.zone)


async def queued_for_kim(
    services: Services, first: date, last: date, kind: str | None = None
) -> list[OutboxMessage]:
    """What the clock queued for Kim from ``first`` to ``last`` (local days, both in)."""
    query = select(OutboxMessage).where(
        OutboxMessage.chat_id == KIM,
        OutboxMessage.created_at >= start_of(services, first),
        OutboxMessage.created_at < start_of(services, last + timedelta(days=1)),
    )
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    async with services.sessions() as session:
        return list(await session.scalars(query.order_by(OutboxMessage.id)))


async def check_ins(services: Services) -> list[tuple[date, str, str]]:
    async with services.sessions() as session:
        rows = await session.scalars(select(CheckIn).order_by(CheckIn.id))
        return [(c.day, c.kind.value, c.value) for c in rows]


# --- the days -----------------------------------------------------------------------------


async def sunday_kim_joins(week: Week) -> None:
    """Kim and Anna join with their invites; Anna is Kim's first contact person, on duty
    weekdays 07–16 (Johan, not on Telegram, is the second); the catalogue and Kim's
    plans for the week."""
    people, services = week.people, week.services
    week.clock_to(SUN, time(10))
    anna = await invite(services, Role.SUPPORT, "Anna")
    await invite(services, Role.SUPPORT, "Johan")
    kim = await invite(services, Role.COWORKER, "Kim")
    week.kim_id = kim.person.id
    await join(people, ANNA, "Anna", anna.code)

    question = await join(people, KIM, "Kim", kim.code)
    welcome = (await people.bot_messages(KIM))[0]
    assert welcome.text == (
        "Hej Kim! Välkommen till Vardag.\n\n"
        "Varje morgon får du dagens uppgifter här.\n"
        "Tryck på en uppgift för att se hur du gör.\n"
        "Du kan skriva till din stödperson här när du vill.\n\n"
        "Du har inga kontaktpersoner än. Din stödperson väljer dem snart.\n"
        "Ingen är i tjänst just nu."
    )
    assert question.text == "Vilket språk vill du att jag skriver på?"
    assert question.buttons() == ["Svenska", "English"]
    language, _ = await press_in_place(people, question, text="Svenska")
    assert (language.text, language.buttons()) == ("Jag skriver på svenska.", [])
    when = await people.wait_for(KIM, lambda m: m.text.startswith("När vill du"), timeout=PATIENCE)
    assert when.text == (
        "När vill du få din lista på morgonen?\n"
        "Tryck på en tid, eller skriv en tid, till exempel 7:30."
    )
    assert when.buttons() == ["07:00", "07:30", "08:00", "08:30", "09:00"]
    typo = await ask(people, "25:00")
    assert typo.text == (
        "Jag förstod inte tiden. Skriv en tid mellan 05:00 och 12:00, till exempel 7:30."
    )
    chosen, _ = await press_in_place(people, when, text="08:00")
    assert chosen.text == "Bra! Din lista kommer klockan 08:00 på morgonen."
    again = await ask(people, "/start")
    assert again.text == "Hej igen Kim! Du är redan med. Skriv /today för att se dagens lista."

    now = services.now()
    async with services.sessions.begin() as session:
        await contacts.set_contacts(services, session, "Kim", "Anna", "Johan")
        await rota.set_shifts(services, session, "Anna", [(d, time(7), time(16)) for d in range(5)])

        def task(title: str, minutes: int, instructions: str, **more: object) -> TaskTemplate:
            return TaskTemplate(
                title=title,
                strain=1,
                expected_minutes=minutes,
                instructions=instructions,
                created_at=now,
                steps=more.pop("steps", []),
                attachments=more.pop("attachments", []),
                **more,
            )

        session.add_all(
            [
                task(
                    PLANTS,
                    20,
                    "Blommorna står i fönstren i matsalen.",
                    goal="Blommorna mår bra och matsalen blir trivsam.",
                    steps=[TemplateStep(position=n, text=s) for n, s in enumerate(PLANT_STEPS, 1)],
                    attachments=[
                        Attachment(
                            position=1,
                            kind=AttachmentKind.PHOTO,
                            telegram_file_id=week.photo,
                            caption="Kannan står i förrådet.",
                        ),
                        Attachment(
                            position=2,
                            kind=AttachmentKind.LOCATION,
                            latitude=59.33,
                            longitude=18.06,
                            caption="Förrådet",
                        ),
                        Attachment(
                            position=3,
                            kind=AttachmentKind.LINK,
                            url="https://example.org/blommor",
                            caption="Skötselråd",
                        ),
                    ],
                ),
                task(POST, 10, "Sortera posten i facken i receptionen.", heads_up_minutes=15),
                task(TABLES, 15, "Torka alla bord i matsalen med en fuktig trasa."),
                task(PAPERS, 15, "Hämta dagens tidningar i entrén."),
                task(COFFEE, 10, "Fyll på kaffe och mjölk i fikarummet."),
                task(BINS, 15, "Töm papperskorgarna på kontoret.", with_support=True),
            ]
        )
        await session.flush()
        weekdays = [0, 1, 2, 3, 4]
        await add_task.repeat(services, session, "Kim", PLANTS, weekdays=weekdays, starts_on=MON)
        await add_task.repeat(
            services, session, "Kim", POST, weekdays=weekdays, starts_on=MON, at=time(10)
        )
        await add_task.once(services, session, "Kim", TABLES, day=MON)
        await add_task.once(services, session, "Kim", PAPERS, day=TUE, at=time(12))
        await add_task.once(services, session, "Kim", COFFEE, day=TUE, at=time(13))


async def monday(week: Week) -> None:
    people, services = week.people, week.services

    # 08:00: the list, every task new to Kim, then the check-in question.
    listed = await when_clock_reaches(week, MON, MORNING, "God morgon")
    assert listed.text == (
        "God morgon Kim! Idag är det måndag 4 januari.\n\n"
        "Det här gör du idag:\n"
        "1. Sortera posten (ny) kl 10:00\n"
        "2. Torka borden (ny)\n"
        "3. Vattna blommorna (ny)\n\n"
        "Tryck på en uppgift för att börja."
    )
    assert listed.buttons() == ["1. Sortera posten", "2. Torka borden", "3. Vattna blommorna", HELP]
    week.kept["monday list"] = listed
    question = await people.wait_for(
        KIM, lambda m: m.text == CHECK_IN, after=listed.message_id, timeout=PATIENCE
    )
    assert question.buttons() == MORNING_ANSWERS
    answered, _ = await press_in_place(people, question, text="🟢 Bra")
    assert answered.text == "Hur mår du idag?\nDu svarade: 🟢 Bra\n\nVad skönt! Ha en fin dag."
    assert answered.buttons() == []

    # Vattna blommorna the first time: what, why, where, every step; then the picture
    # and the place, each a message of its own.
    card = await open_task(people, listed, "3. Vattna blommorna")
    assert card.text == (
        "Vattna blommorna\n"
        "Blommorna står i fönstren i matsalen.\n\n"
        "Målet: Blommorna mår bra och matsalen blir trivsam.\n\n"
        "Det tar ungefär 20 minuter.\n"
        "📍 Förrådet\n"
        "🔗 Skötselråd: https://example.org/blommor\n\n"
        f"{PLANT_LINES}\n\n"
        "Tryck på ett steg när du har gjort det."
    )
    steps = [f"☐ {n}. {s}" for n, s in enumerate(PLANT_STEPS, 1)]
    assert card.buttons() == [*steps, *ANSWER_ROWS]
    await people.wait_for(
        KIM, lambda m: m.kind == "location", after=card.message_id, timeout=PATIENCE
    )
    media = [m for m in await people.bot_messages(KIM) if m.message_id > card.message_id]
    assert [m.kind for m in media] == ["photo", "location"]
    assert (media[0].photo, media[0].caption) == (week.photo, "Kannan står i förrådet.")
    assert media[1].location is not None
    assert (media[1].location["latitude"], media[1].location["longitude"]) == (59.33, 18.06)

    # Two steps ticked, then Klar: one question, since a step is left.
    await press_in_place(people, card, text=steps[0])
    ticked, _ = await press_in_place(people, card, text=steps[1])
    assert ticked.text.endswith(f"{PLANT_LINES}\n\nDu har gjort 2 av 3 steg.")
    assert ticked.buttons()[:3] == [
        f"☑ 1. {PLANT_STEPS[0]}",
        f"☑ 2. {PLANT_STEPS[1]}",
        f"☐ 3. {PLANT_STEPS[2]}",
    ]
    asked, _ = await press_in_place(people, card, text="✅ Klar")
    assert asked.text == "Vattna blommorna\n\nDu har gjort 2 av 3 steg.\nÄr allt klart?"
    assert asked.buttons() == ["✅ Ja, allt är klart", "Inte än"]
    done, answer = await press_in_place(people, card, text="✅ Ja, allt är klart")
    assert (done.text, done.buttons()) == ("Vattna blommorna\n\n✅ Klart! Bra jobbat.", [])
    assert answer["text"] == "Bra jobbat!"
    await people.wait_for(
        KIM,
        lambda m: m.message_id == listed.message_id and "✅ 3. Vattna blommorna" in m.buttons(),
        timeout=PATIENCE,
    )
    plants = await task_on(services, MON, PLANTS)
    assert (plants.status, plants.steps_done) == (TaskStatus.DONE, [0, 1])

    # Sortera posten at 10:00: a heads-up, the reminder, "later", and the reminder again.
    heads_up = await when_clock_reaches(week, MON, time(9, 45), "Om 15 minuter")
    assert heads_up.text == "Om 15 minuter är det dags: Sortera posten kl 10:00."
    assert heads_up.buttons() == REMINDER_BUTTONS
    week.kept["monday heads-up"] = heads_up
    due = await when_clock_reaches(week, MON, time(10), "Nu är det dags")
    assert (due.text, due.buttons()) == ("Nu är det dags: Sortera posten.", REMINDER_BUTTONS)
    choices, _ = await press_in_place(people, due, text="⏰ Senare")
    assert (choices.text, choices.buttons()) == (due.text, LATER_CHOICES)
    snoozed, _ = await press_in_place(people, due, text="15 min")
    assert snoozed.text == "Okej! Jag påminner dig kl 10:15."
    assert snoozed.buttons() == ["Visa uppgiften"]
    again = await when_clock_reaches(week, MON, time(10, 15), "Nu är det dags igen")
    assert (again.text, again.buttons()) == (
        "Nu är det dags igen: Sortera posten.",
        REMINDER_BUTTONS,
    )
    done, answer = await press_in_place(people, again, text="✅ Klar")
    assert (done.text, answer["text"]) == ("Sortera posten\n\n✅ Klart! Bra jobbat.", "Bra jobbat!")
    # The reminder Kim asked for with "Senare" does not count towards the daily cap.
    queued = await queued_for_kim(services, MON, MON)
    assert [m.kind for m in queued if m.kind.startswith("reminder")] == [
        "reminder",
        "reminder",
        "reminder_snooze",
    ]
    rows = await reminders_on(services, MON, POST)
    assert {kind: row.status for kind, row in rows.items()} == {
        ReminderKind.HEADS_UP: ReminderStatus.SENT,
        ReminderKind.DUE: ReminderStatus.ANSWERED,
        ReminderKind.SNOOZE: ReminderStatus.ANSWERED,
    }

    # 15:30: the summary names what was done; Torka borden, not touched, moves on.
    summary = await when_clock_reaches(week, MON, END_OF_DAY, "Bra jobbat idag!")
    body = (
        "Bra jobbat idag! Du gjorde 2 saker: Sortera posten och Vattna blommorna.\n"
        "Torka borden tar vi imorgon."
    )
    assert summary.text == f"{body}\n\nHur var din dag?"
    assert summary.buttons() == EVENING_ANSWERS
    answered, _ = await press_in_place(people, summary, text="😊 Bra dag")
    assert answered.text == f"{body}\n\nDu svarade: 😊 Bra dag\nVad fint! Vila gott nu."


async def tuesday_morning(week: Week) -> None:
    people, services = week.people, week.services

    # 08:00: Torka borden waits from Monday; Vattna and Sortera are familiar now.
    listed = await when_clock_reaches(week, TUE, MORNING, "God morgon")
    assert listed.text == (
        "God morgon Kim! Idag är det tisdag 5 januari.\n\n"
        "Det här gör du idag:\n"
        "1. Sortera posten kl 10:00\n"
        "2. Hämta tidningarna (ny) kl 12:00\n"
        "3. Fylla på kaffet (ny) kl 13:00\n"
        "4. Torka borden (från igår)\n"
        "5. Vattna blommorna\n\n"
        "Tryck på en uppgift för att börja."
    )
    assert (await task_on(services, MON, TABLES)).status is TaskStatus.CARRIED_OVER
    assert (await task_on(services, TUE, TABLES)).carried_from == MON
    question = await people.wait_for(
        KIM, lambda m: m.text == CHECK_IN, after=listed.message_id, timeout=PATIENCE
    )
    await press_in_place(people, question, text="🟡 Sådär")

    # A familiar task is one line until Kim asks for the steps (the picture and the place
    # come with them); every step ticked, Klar asks nothing.
    card = await open_task(people, listed, "5. Vattna blommorna")
    assert card.text == "Vattna blommorna\nDet tar ungefär 20 minuter."
    assert card.buttons() == ["Visa stegen", *ANSWER_ROWS]
    shown, _ = await press_in_place(people, card, text="Visa stegen")
    assert shown.text == (
        "Vattna blommorna\n"
        "Det tar ungefär 20 minuter.\n"
        "📍 Förrådet\n"
        "🔗 Skötselråd: https://example.org/blommor\n\n"
        f"{PLANT_LINES}\n\n"
        "Tryck på ett steg när du har gjort det."
    )
    await people.wait_for(
        KIM, lambda m: m.kind == "location", after=card.message_id, timeout=PATIENCE
    )
    for n, step in enumerate(PLANT_STEPS, 1):
        ticked, _ = await press_in_place(people, card, text=f"☐ {n}. {step}")
    assert ticked.text.endswith("Alla steg är gjorda. Tryck på ✅ Klar.")
    done, _ = await press_in_place(people, card, text="✅ Klar")
    assert done.text == "Vattna blommorna\n\n✅ Klart! Bra jobbat."
    plants = await task_on(services, TUE, PLANTS)
    assert (plants.status, plants.steps_done) == (TaskStatus.DONE, [0, 1, 2])

    # Torka borden, still new to Kim: not today, and why.
    card = await open_task(people, listed, "4. Torka borden")
    assert card.text == (
        "Torka borden\nTorka alla bord i matsalen med en fuktig trasa.\n\n"
        "Det tar ungefär 15 minuter."
    )
    assert card.buttons() == ANSWER_ROWS
    asked, _ = await press_in_place(people, card, text="🌙 Inte idag")
    assert asked.text == (
        "Torka borden\n\nOkej. Vi tar det en annan dag.\nVill du säga varför? Du behöver inte."
    )
    assert asked.buttons() == REASONS
    said, answer = await press_in_place(people, card, text="⏳ Jag hann inte")
    assert said.text == "Torka borden\n\nOkej. Vi tar det en annan dag.\nTack för att du sa det."
    assert (said.buttons(), answer["text"]) == ([], "Tack!")
    tables = await task_on(services, TUE, TABLES)
    assert (tables.status, tables.not_today_reason) == (TaskStatus.NOT_TODAY, "no_time")

    # Sortera posten, unanswered: the reminder and two repeats, 15 minutes apart.
    await when_clock_reaches(week, TUE, time(9, 45), "Om 15 minuter")
    waiting = "Sortera posten väntar fortfarande. Ta det i din egen takt."
    for at, text in ((time(10), "Nu är det dags: Sortera posten."), (time(10, 15), waiting)):
        assert (await when_clock_reaches(week, TUE, at, text)).text == text
    last = await when_clock_reaches(week, TUE, time(10, 30), waiting)
    assert last.buttons() == REMINDER_BUTTONS
    due = (await reminders_on(services, TUE, POST))[ReminderKind.DUE]
    assert (due.status, due.repeats) == (ReminderStatus.SENT, services.settings.reminder_repeats)
    # The reminders of the afternoon's tasks were made when the list went out.
    for title in (PAPERS, COFFEE):
        rows = await reminders_on(services, TUE, title)
        assert rows[ReminderKind.DUE].status is ReminderStatus.PENDING, title
    week.clock_to(TUE, time(10, 45))


async def tuesday_after_the_restart(week: Week) -> None:
    """The bot was down from 10:45 to 13:10."""
    people, services = week.people, week.services
    # 13:00 was ten minutes ago: still useful. 12:00 was 70 minutes ago: missed.
    coffee = await people.wait_for(
        KIM, lambda m: m.text == "Nu är det dags: Fylla på kaffet.", timeout=PATIENCE
    )
    assert coffee.buttons() == REMINDER_BUTTONS

    async def papers_recorded() -> bool:
        rows = await reminders_on(services, TUE, PAPERS)
        return rows[ReminderKind.DUE].status is not ReminderStatus.PENDING

    await until(papers_recorded, "the 12:00 reminder handled after the restart")
    papers = (await reminders_on(services, TUE, PAPERS))[ReminderKind.DUE]
    assert (papers.status, papers.last_sent_at) == (ReminderStatus.MISSED, None)
    assert (await task_on(services, TUE, PAPERS)).status is TaskStatus.OPEN  # still on the list

    # That was the fifth reminder today: its repeat at 13:15 is held back by the cap.
    today = await queued_for_kim(services, TUE, TUE, "reminder")
    assert len(today) == CAP
    week.clock_to(TUE, time(13, 15))

    async def repeat_held_back() -> bool:
        rows = await reminders_on(services, TUE, COFFEE)
        return rows[ReminderKind.DUE].status is not ReminderStatus.PENDING

    await until(repeat_held_back, "the 13:15 repeat handled")
    held = (await reminders_on(services, TUE, COFFEE))[ReminderKind.DUE]
    assert (held.status, held.repeats) == (ReminderStatus.SKIPPED, 1)
    assert len(await queued_for_kim(services, TUE, TUE, "reminder")) == CAP
    # Sortera posten's reminder came three times (then nothing), Hämta tidningarna's never.
    assert reminder_texts(await people.bot_messages(KIM))[-5:] == [
        "Om 15 minuter är det dags: Sortera posten kl 10:00.",
        "Nu är det dags: Sortera posten.",
        "Sortera posten väntar fortfarande. Ta det i din egen takt.",
        "Sortera posten väntar fortfarande. Ta det i din egen takt.",
        "Nu är det dags: Fylla på kaffet.",
    ]

    done, answer = await press_in_place(people, coffee, text="✅ Klar")
    assert (done.text, answer["text"]) == (
        "Fylla på kaffet\n\n✅ Klart! Bra jobbat.",
        "Bra jobbat!",
    )

    # 15:30: Wednesday is a holiday, so what is left waits until Thursday.
    summary = await when_clock_reaches(week, TUE, END_OF_DAY, "Bra jobbat idag!")
    body = (
        "Bra jobbat idag! Du gjorde 2 saker: Fylla på kaffet och Vattna blommorna.\n"
        "Sortera posten, Hämta tidningarna och Torka borden tar vi på torsdag."
    )
    assert summary.text == f"{body}\n\nHur var din dag?"
    answered, _ = await press_in_place(people, summary, text="😐 Okej")
    assert (
        answered.text == f"{body}\n\nDu svarade: 😐 Okej\nTack för att du berättar. Vila gott nu."
    )
    week.kept["tuesday summary"] = summary


async def wednesday_holiday(week: Week) -> None:
    people, services = week.people, week.services
    # Epiphany: the morning comes and goes; no list, no question, no reminder.
    week.clock_to(WED, MORNING)
    await jobs_have_drafted(week.bot, WED)
    assert await plan_on(services, WED) is None
    unknown = await ask(people, "/lista")
    assert unknown.text == "Det kommandot känner jag inte till. Skriv /today för dagens lista."
    nothing = await ask(people, "/today")
    assert nothing.text == "Du har inga uppgifter idag, onsdag 6 januari."
    assert nothing.buttons() == [HELP]
    week.kept["wednesday command"], week.kept["wednesday today"] = unknown, nothing
    for at in (time(10), END_OF_DAY):
        week.clock_to(WED, at)
        await a_few_ticks()


async def thursday(week: Week) -> None:
    people, services = week.people, week.services

    # 08:00: what waited over the holiday, the oldest first among the tasks without a
    # time; Sortera posten once, though it is also due today.
    listed = await when_clock_reaches(week, THU, MORNING, "God morgon")
    assert listed.text == (
        "God morgon Kim! Idag är det torsdag 7 januari.\n\n"
        "Det här gör du idag:\n"
        "1. Sortera posten (från i tisdags) kl 10:00\n"
        "2. Hämta tidningarna (från i tisdags) kl 12:00\n"
        "3. Torka borden (från i tisdags)\n"
        "4. Vattna blommorna\n\n"
        "Tryck på en uppgift för att börja."
    )
    question = await people.wait_for(
        KIM, lambda m: m.text == CHECK_IN, after=listed.message_id, timeout=PATIENCE
    )
    week.kept["thursday check-in"] = question  # Kim does not answer it: that is fine
    # Nothing came on the holiday: since Tuesday's summary, only Wednesday's answers.
    since = [
        m.message_id
        for m in await people.bot_messages(KIM)
        if m.message_id > week.kept["tuesday summary"].message_id
    ]
    holiday = [week.kept[f"wednesday {m}"].message_id for m in ("command", "today")]
    assert since == [*holiday, listed.message_id, question.message_id]
    assert await queued_for_kim(services, WED, WED) == []

    # Kim and Anna agree on a rest in the middle of the day (there is no chat command for
    # quiet hours yet, so it goes straight into the database).
    async with services.sessions.begin() as session:
        kim = await session.get_one(Person, week.kim_id)
        kim.quiet_start, kim.quiet_end = time(11), time(13)

    # 10:05, "later" by an hour would be 11:05, in the quiet hours: no more reminders.
    await when_clock_reaches(week, THU, time(9, 45), "Om 15 minuter")
    due = await when_clock_reaches(week, THU, time(10), "Nu är det dags: Sortera posten.")
    week.clock_to(THU, time(10, 5))
    await press_in_place(people, due, text="⏰ Senare")
    quiet, _ = await press_in_place(people, due, text="1 timme")
    assert quiet.text == (
        "Okej! Det blir inga fler påminnelser idag. Uppgiften finns kvar på din lista."
    )
    assert quiet.buttons() == ["Visa uppgiften"]
    rows = await reminders_on(services, THU, POST)
    assert ReminderKind.SNOOZE not in rows
    assert rows[ReminderKind.DUE].status is ReminderStatus.ANSWERED

    # 12:00, Hämta tidningarna's time, is in the quiet hours: kept back, never sent.
    week.clock_to(THU, time(12))

    async def papers_handled() -> bool:
        rows = await reminders_on(services, THU, PAPERS)
        return rows[ReminderKind.DUE].status is not ReminderStatus.PENDING

    await until(papers_handled, "the 12:00 reminder handled")
    papers = (await reminders_on(services, THU, PAPERS))[ReminderKind.DUE]
    assert (papers.status, papers.last_sent_at) == (ReminderStatus.SKIPPED, None)

    # 13:05: help with Torka borden. Anna, on duty, is told and takes it.
    week.clock_to(THU, time(13, 5))
    card = await open_task(people, listed, "3. Torka borden")
    receipt = await press_for_new(people, card, HELP)
    assert receipt.text == (
        "Jag har sagt till Anna att du behöver hjälp. Anna hör av sig så snart det går."
    )
    told = await people.wait_for(
        ANNA, lambda m: m.from_bot and m.text.startswith("🙋 Kim"), timeout=PATIENCE
    )
    assert told.text == (
        "🙋 Kim behöver hjälp med Torka borden (kl 13:05).\n"
        "Grupp: Rutt 1\n"
        "Hör av dig till Kim så snart du kan."
    )
    known = await seen(people, KIM)
    await people.press(ANNA, told.message_id, text="✋ Jag tar det")
    coming = await new_message(people, known)
    assert coming.text == "Anna har sett det och hör av sig."
    assert (await task_on(services, THU, TABLES)).status is TaskStatus.HELP

    # /today shows where things stand, and the card says help is asked.
    today = await ask(people, "/today", "God morgon")
    assert today.text == (
        "God morgon Kim! Idag är det torsdag 7 januari.\n\n"
        "Det här gör du idag:\n"
        "1. Sortera posten (från i tisdags) kl 10:00\n"
        "2. Hämta tidningarna (från i tisdags) kl 12:00\n"
        "🙋 3. Torka borden (från i tisdags, bett om hjälp)\n"
        "4. Vattna blommorna\n\n"
        "Tryck på en uppgift för att börja."
    )
    assert today.buttons() == [
        "1. Sortera posten",
        "2. Hämta tidningarna",
        "🙋 3. Torka borden",
        "4. Vattna blommorna",
        HELP,
    ]
    again = await open_task(people, today, "🙋 3. Torka borden")
    assert again.text == (
        "Torka borden\nTorka alla bord i matsalen med en fuktig trasa.\n\n"
        "Det tar ungefär 15 minuter.\n🙋 Du har bett om hjälp."
    )

    # After the rest, Sortera posten from the reminder that is still in the chat.
    week.clock_to(THU, time(13, 30))
    card = await press_for_new(people, due, "Visa uppgiften", POST)
    assert card.text == "Sortera posten\nDet tar ungefär 10 minuter."
    assert card.buttons() == ANSWER_ROWS
    done, _ = await press_in_place(people, card, text="✅ Klar")
    assert done.text == "Sortera posten\n\n✅ Klart! Bra jobbat."

    # 15:30: one thing done is a good day too. Kim does not answer; that is fine.
    summary = await when_clock_reaches(week, THU, END_OF_DAY, "Bra jobbat idag!")
    assert summary.text == (
        "Bra jobbat idag! Du gjorde 1 sak: Sortera posten.\n"
        "Hämta tidningarna, Torka borden och Vattna blommorna tar vi imorgon.\n\n"
        "Hur var din dag?"
    )


async def friday(week: Week) -> None:
    people, services = week.people, week.services

    listed = await when_clock_reaches(week, FRI, MORNING, "God morgon")
    assert listed.text == (
        "God morgon Kim! Idag är det fredag 8 januari.\n\n"
        "Det här gör du idag:\n"
        "1. Sortera posten kl 10:00\n"
        "2. Hämta tidningarna (från igår) kl 12:00\n"
        "3. Torka borden (från igår)\n"
        "4. Vattna blommorna (från igår)\n\n"
        "Tryck på en uppgift för att börja."
    )
    question = await people.wait_for(
        KIM, lambda m: m.text == CHECK_IN, after=listed.message_id, timeout=PATIENCE
    )

    # Yesterday's question is still on the phone: a tap on it counts for nothing.
    old = await answer_of(people, week.kept["thursday check-in"], text="🟢 Bra")
    assert old["text"] == "Den frågan gällde en annan dag. Tack ändå!"
    await press_in_place(people, question, text="🟢 Bra")
    assert await check_ins(services) == [
        (MON, "morning", "green"),
        (MON, "evening", "good"),
        (TUE, "morning", "amber"),
        (TUE, "evening", "okay"),
        (FRI, "morning", "green"),
    ]

    # A task on Monday's list: that list is old; a button leads to today's.
    pointer = await press_for_new(people, week.kept["monday list"], "2. Torka borden")
    assert pointer.text == "Det här är en gammal lista. Här är dagens:"
    assert pointer.buttons() == ["Dagens lista"]
    fresh = await press_for_new(people, pointer, "Dagens lista", "God morgon")
    assert (fresh.text, fresh.buttons()) == (listed.text, listed.buttons())
    assert (await task_on(services, MON, TABLES)).status is TaskStatus.CARRIED_OVER

    # 08:05: a task is put on today's list after it was sent (on the command line):
    # Kim is told, opens it, and does it; Klar pressed twice is done once.
    week.clock_to(FRI, time(8, 5))
    known = await seen(people, KIM)
    async with services.sessions.begin() as session:
        await add_task.once(services, session, "Kim", BINS, day=FRI, at=time(14))
    note = await new_message(people, known, "En ny uppgift")
    assert note.text == "En ny uppgift idag: Tömma papperskorgarna kl 14:00"
    assert note.buttons() == ["Visa uppgiften"]
    card = await press_for_new(people, note, "Visa uppgiften", BINS)
    assert card.text == (
        "Tömma papperskorgarna\nTöm papperskorgarna på kontoret.\n\n"
        "Det tar ungefär 15 minuter.\n"
        "Din stödperson gör en del av den här uppgiften med dig."
    )
    done_data = card.button_data("✅ Klar")
    await press_in_place(people, card, text="✅ Klar")
    first = await task_on(services, FRI, BINS)
    twice = await answer_of(people, card, data=done_data)
    assert twice["text"] == "Den är redan klar."
    second = await task_on(services, FRI, BINS)
    assert (second.status, second.done_at) == (TaskStatus.DONE, first.done_at)
    rows = await reminders_on(services, FRI, BINS)
    assert rows[ReminderKind.DUE].status is ReminderStatus.ANSWERED  # never needed

    # Torka borden at last (the first time it is done), and Vattna blommorna.
    for label in ("3. Torka borden", "4. Vattna blommorna"):
        card = await open_task(people, fresh, label)
        done, _ = await press_in_place(people, card, text="✅ Klar")
        assert done.text.endswith("\n\n✅ Klart! Bra jobbat."), label

    # 09:45: Klar right on the heads-up. "Later" on it now, or on Monday's: refused.
    heads_up = await when_clock_reaches(week, FRI, time(9, 45), "Om 15 minuter")
    later = heads_up.button_data("⏰ Senare")
    done, answer = await press_in_place(people, heads_up, text="✅ Klar")
    assert (done.text, answer["text"]) == ("Sortera posten\n\n✅ Klart! Bra jobbat.", "Bra jobbat!")
    refused = await answer_of(people, heads_up, data=later)
    assert (refused["text"], refused["show_alert"]) == (
        "Du behöver ingen påminnelse om den uppgiften nu.",
        True,
    )
    refused = await answer_of(people, week.kept["monday heads-up"], text="⏰ Senare")
    assert (refused["text"], refused["show_alert"]) == (
        "Den påminnelsen gällde en annan dag.",
        True,
    )
    assert (await reminders_on(services, FRI, POST))[ReminderKind.DUE].status is (
        ReminderStatus.ANSWERED
    )

    # 12:00 is still in Kim's quiet hours.
    week.clock_to(FRI, time(12))

    async def papers_handled() -> bool:
        rows = await reminders_on(services, FRI, PAPERS)
        return rows[ReminderKind.DUE].status is not ReminderStatus.PENDING

    await until(papers_handled, "the 12:00 reminder handled")
    papers = (await reminders_on(services, FRI, PAPERS))[ReminderKind.DUE]
    assert papers.status is ReminderStatus.SKIPPED
    # Of today's reminders only the heads-up went out.
    assert [r.payload["text"] for r in await queued_for_kim(services, FRI, FRI, "reminder")] == [
        "Om 15 minuter är det dags: <b>Sortera posten</b> kl 10:00."
    ]

    # 15:30: four done, the fourth counted; what is left waits over the weekend.
    summary = await when_clock_reaches(week, FRI, END_OF_DAY, "Bra jobbat idag!")
    assert summary.text == (
        "Bra jobbat idag! Du gjorde 4 saker: Sortera posten, Torka borden, Vattna blommorna "
        "och 1 till.\n"
        "Hämta tidningarna tar vi på måndag.\n\n"
        "Hur var din dag?"
    )

    # 18:00: the evening drafting plans up to Monday; /week shows it, /history the week.
    week.clock_to(FRI, services.settings.draft_time)
    await jobs_have_drafted(week.bot, FRI, "ahead")
    monday_draft = await plan_on(services, NEXT_MON)
    assert monday_draft is not None and monday_draft.status is PlanStatus.DRAFT
    assert [t.template.title for t in monday_draft.tasks] == [POST, PAPERS, PLANTS]
    assert (await plan_on(services, SAT), await plan_on(services, NEXT_SUN)) == (None, None)
    ahead = await ask(people, "/week")
    # Monday is a draft, the days after it are not drafted yet: all are shown as they
    # will be (the recurring tasks), marked as not final.
    assert ahead.text == (
        "Dina kommande dagar:\n"
        "Måndag 11/1 (inte klar än): Sortera posten, Hämta tidningarna, Vattna blommorna\n"
        "Tisdag 12/1 (inte klar än): Sortera posten, Vattna blommorna\n"
        "Onsdag 13/1 (inte klar än): Sortera posten, Vattna blommorna\n"
        "Torsdag 14/1 (inte klar än): Sortera posten, Vattna blommorna\n"
        "Fredag 15/1 (inte klar än): Sortera posten, Vattna blommorna\n\n"
        "Listorna kan ändras lite innan dess."
    )
    done_lately = await ask(people, "/history")
    assert done_lately.text == (
        "Det här har du gjort de senaste sju dagarna:\n"
        "Måndag 4/1: Sortera posten, Vattna blommorna\n"
        "Tisdag 5/1: Fylla på kaffet, Vattna blommorna\n"
        "Torsdag 7/1: Sortera posten\n"
        "Fredag 8/1: Sortera posten, Torka borden, Vattna blommorna och 1 till\n\n"
        "Du har gjort minst en uppgift 4 dagar i rad. Bra jobbat!"
    )


async def weekend(week: Week) -> None:
    people, services = week.people, week.services
    last = (await people.bot_messages(KIM))[-1].message_id
    for day in (SAT, NEXT_SUN):
        week.clock_to(day, MORNING)
        await jobs_have_drafted(week.bot, day)
        for at in (time(10), END_OF_DAY):
            week.clock_to(day, at)
            await a_few_ticks()
    assert [m.text for m in await people.bot_messages(KIM) if m.message_id > last] == []
    assert await queued_for_kim(services, SAT, NEXT_SUN) == []
    assert (await plan_on(services, SAT), await plan_on(services, NEXT_SUN)) == (None, None)


# --- the week -----------------------------------------------------------------------------


async def test_a_week_for_one_coworker(
    sandbox_settings: Settings,
    clock: MovableClock,
    engine: AsyncEngine,
    sandbox: SandboxServer,
    people: SandboxClient,
) -> None:
    settings = sandbox_settings.model_copy(update={"daily_reminder_cap": CAP})
    assert (settings.reminder_repeats, settings.reminder_repeat_minutes) == (2, 15)
    assert (settings.reminder_grace_minutes, settings.end_of_day_time) == (30, END_OF_DAY)
    assert (MON.weekday(), WED.weekday(), SAT.weekday()) == (0, 2, 5)
    # Telegram's ~1 message/s per chat (kept by the sandbox, covered by the outbox tests)
    # would only make Kim's many presses slow here.
    await people.set_limits(chat_per_second=50, chat_burst=50)
    photo = sandbox.state.new_photo()[-1].file_id

    async with bot_running(settings, clock, engine) as bot:
        week = Week(people, bot, photo)
        await sunday_kim_joins(week)
        await monday(week)
        await tuesday_morning(week)
    # Tuesday 10:45: the bot stops (an update, a crash) and is started again at 13:10 on
    # the same database.
    clock.set(local_moment(TUE, time(13, 10), settings.zone))
    async with bot_running(settings, clock, engine) as bot:
        week.bot = bot
        await tuesday_after_the_restart(week)
        await wednesday_holiday(week)
        await thursday(week)
        await friday(week)
        await weekend(week)
