"""Keeping a co-worker's plan right over months, through the sandbox: appointments that
are never moved, capacity set and seen in plain words, recurring tasks managed, the
coming days shown, and carry-over marked kindly.

Anna is Kim's first contact person, Bo the second; the clock starts on Tuesday
24 November 2026, so "tomorrow" is Wednesday 25 November.
"""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import select

from bot.sandbox.client import SandboxClient, SandboxMessage
from bot.services.people import contacts
from bot.services.people.organisation import find_coworker
from bot.services.planning import add_task
from bot.telegram.callbacks import DAY_FACTOR
from storage.models import AuditEntry, DayPlan, Role, TaskTemplate
from tests.e2e.conftest import RunningBot
from tests.e2e.helpers import new_bot_message, seen
from tests.e2e.test_invite_in_chat import say
from tests.e2e.test_joining import invite, join
from tests.e2e.test_review_buttons import evening, press_and_wait

ANNA, BO, CIA, KIM = 2001, 2002, 2003, 1001
MEETING = "Morgonmöte"  # strain 3, every weekday at 09:00
LUNCH = "Diska efter lunch"  # strain 2, once tomorrow at 12:00
BOXES = "Bära kartonger"  # strain 3, once tomorrow
PLANTS = "Vattna blommorna"  # strain 1, every weekday
STRAIN = {PLANTS: 1, BOXES: 3, LUNCH: 2, MEETING: 3}  # catalogue order: the meeting last
FULL = "dagen var redan full (orken räckte inte till fler uppgifter)"


async def kim_and_anna(bot: RunningBot, people: SandboxClient, capacity: int = 6) -> None:
    services = bot.services
    for role, name, user in (
        (Role.SUPPORT, "Anna", ANNA),
        (Role.SUPPORT, "Bo", BO),
        (Role.COWORKER, "Kim", KIM),
    ):
        made = await invite(services, role, name, group="Rutt 1")
        await join(people, user, name, made.code)
    # Anna is told that Kim joined; an answer she waits for later comes after that note.
    await people.wait_for(ANNA, lambda m: m.text.startswith("Kim har gått med"))
    async with services.sessions.begin() as session:
        for title, strain in STRAIN.items():
            session.add(TaskTemplate(title=title, strain=strain, created_at=services.now()))
        await session.flush()
        await contacts.set_contacts(services, session, "Kim", "Anna", "Bo")
        (await find_coworker(session, "Kim")).capacity = capacity


async def test_an_appointment_stays_and_the_review_says_the_day_is_heavy(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    services = running_bot.services
    await kim_and_anna(running_bot, people, capacity=4)
    tomorrow = services.today().replace(day=25)
    async with services.sessions.begin() as session:
        await add_task.repeat(
            services, session, "Kim", PLANTS, weekdays=[0, 1, 2, 3, 4], starts_on=tomorrow
        )
        await add_task.repeat(
            services,
            session,
            "Kim",
            MEETING,
            weekdays=[0, 1, 2, 3, 4],
            starts_on=tomorrow,
            at=time(9, 0),
        )
        await add_task.once(services, session, "Kim", BOXES, day=tomorrow)
        await add_task.once(services, session, "Kim", LUNCH, day=tomorrow, at=time(12, 0))
    known = await seen(people, ANNA)
    await evening(running_bot)

    review = await new_bot_message(people, ANNA, known, "Kim, ")
    assert review.text.splitlines() == [
        "Kim, onsdag 25 november (utkast)",
        "",
        f"1. {MEETING} (ny) kl 09:00",
        f"2. {LUNCH} (ny) kl 12:00",
        f"{BOXES} är flyttad till torsdag 26 november: {FULL}.",
        f"{PLANTS} är flyttad till torsdag 26 november: {FULL}.",
        "Ork: vanlig dag (4 poäng). Listan väger 5.",
        "⚠️ Uppgifterna med tid ligger fast, så dagen väger mer än Kim orkar (5 av 4). "
        "Ta bort något eller ändra en tid om det blir för mycket.",
    ]
    async with services.sessions() as session:
        plan = await session.scalar(select(DayPlan).where(DayPlan.day == tomorrow))
        assert plan is not None
        assert [(t.template.title, t.time_of_day) for t in plan.tasks] == [
            (MEETING, time(9, 0)),
            (LUNCH, time(12, 0)),
        ]


async def test_two_heavy_tasks_are_kept_apart_for_balance(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    """Stamina 6 and two heavy tasks put on the day: they would make the whole day, back
    to back; the second waits, and the recurring light task fills the day instead."""
    services = running_bot.services
    await kim_and_anna(running_bot, people)
    tomorrow = services.today().replace(day=25)
    async with services.sessions.begin() as session:
        for title in (BOXES, MEETING):
            await add_task.once(services, session, "Kim", title, day=tomorrow)
        await add_task.repeat(services, session, "Kim", PLANTS, weekdays=[2], starts_on=tomorrow)
    known = await seen(people, ANNA)
    await evening(running_bot)

    review = await new_bot_message(people, ANNA, known, "Kim, ")
    assert review.text.splitlines()[2:] == [
        f"1. {BOXES} (ny)",
        f"2. {PLANTS} (ny)",
        f"{MEETING} är flyttad till torsdag 26 november: "
        "två tunga uppgifter skulle komma direkt efter varandra.",
        "Ork: vanlig dag (6 poäng). Listan väger 4.",
    ]


async def test_capacity_is_chosen_under_the_list_in_plain_words(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    """Anna lowers Kim's stamina from the review: the draft is made again at once, and
    the change is in the audit trail. Bo's forged press on another number is refused."""
    services = running_bot.services
    await kim_and_anna(running_bot, people)
    tomorrow = services.today().replace(day=25)
    async with services.sessions.begin() as session:
        for title in (PLANTS, LUNCH):
            await add_task.once(services, session, "Kim", title, day=tomorrow)
    known = await seen(people, ANNA)
    await evening(running_bot)
    review = await new_bot_message(people, ANNA, known, "Kim, ")
    assert review.text.splitlines()[-1] == "Ork: vanlig dag (6 poäng). Listan väger 3."

    picker = await press_and_wait(people, ANNA, review, "💪 Ork: vanlig dag (6)", "Hur mycket")
    assert picker.text == (
        "Hur mycket orkar Kim en dag? Lätta uppgifter är 1 poäng, tunga 3. "
        "Nu: vanlig dag (6 poäng).\n"
        "Orkar Kim mer eller mindre en viss veckodag? Tryck på dagen."
    )
    assert picker.buttons()[:4] == [
        "1 – lätt dag",
        "2 – lätt dag",
        "3 – lätt dag",
        "4 – vanlig dag",
    ]
    assert "• 6 – vanlig dag" in picker.buttons() and picker.buttons()[-1] == "↩ Tillbaka"
    lowered = await press_and_wait(people, ANNA, picker, "2 – lätt dag", "Kim, ")
    assert lowered.text.splitlines()[2:] == [
        f"1. {PLANTS} (ny)",
        f"{LUNCH} är flyttad till torsdag 26 november: {FULL}.",
        "Ork: lätt dag (2 poäng). Listan väger 1.",
    ]
    assert "💪 Ork: lätt dag (2)" in lowered.buttons()

    cia = await invite(services, Role.SUPPORT, "Cia", group="Rutt 2")
    await join(people, CIA, "Cia", cia.code)
    async with services.sessions() as session:
        kim_id = (await find_coworker(session, "Kim")).id
    target = (kim_id * DAY_FACTOR + tomorrow.toordinal()) * 100

    async def answer(user: int, data: str) -> str:
        message = (await people.bot_messages(user))[-1]
        press = await people.press(user, message.message_id, data=data)
        return str((await people.wait_for_answer(press))["text"])

    assert await answer(CIA, f"M:{target + 5}") == "Den listan kan du inte ändra."
    assert await answer(CIA, f"O:{target // 100}") == "Den listan kan du inte ändra."
    assert await answer(ANNA, f"M:{target + 50}") == "Den knappen fungerar inte längre."
    assert await answer(KIM, f"M:{target + 5}") == "Den knappen fungerar inte längre."
    async with services.sessions() as session:
        kim = await find_coworker(session, "Kim")
        details = list(
            await session.scalars(
                select(AuditEntry.detail).where(
                    AuditEntry.action == "plan.capacity", AuditEntry.actor_id.is_not(None)
                )
            )
        )
    assert kim.capacity == 2 and details == ["6 -> 2"]


async def test_recurring_tasks_are_managed_in_chat(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    """/repeat Kim: Anna pauses the flowers for a week (tomorrow's draft loses them at
    once), gives the meeting other days and a time, and ends it; each step audited."""
    services = running_bot.services
    await kim_and_anna(running_bot, people)
    today = services.today()
    tomorrow = today.replace(day=25)
    async with services.sessions.begin() as session:
        await add_task.repeat(
            services, session, "Kim", PLANTS, weekdays=[0, 1, 2, 3, 4], starts_on=today
        )
        await add_task.repeat(
            services, session, "Kim", MEETING, weekdays=[2], starts_on=today, at=time(9, 0)
        )
    known = await seen(people, ANNA)
    await evening(running_bot)
    await new_bot_message(people, ANNA, known, "Kim, ")
    assert await titles_on(running_bot, tomorrow) == [MEETING, PLANTS]

    # (Anna may also get the day's staff summary now: each answer is found by its start.)
    asked = await say(people, ANNA, "/repeat", "Vems")
    assert asked == "Vems återkommande uppgifter vill du se?"
    listed = await say(people, ANNA, "/repeat kim", "Återkommande")
    assert listed.splitlines() == [
        "Återkommande uppgifter för Kim:",
        "",
        f"1. {PLANTS}: varje vardag",
        f"2. {MEETING}: varje onsdag kl 09:00",
    ]
    (view,) = [m for m in await people.bot_messages(ANNA) if m.text == listed]
    assert view.buttons() == [f"1. {PLANTS}", f"2. {MEETING}"]

    async def press(label: str, shows: str) -> SandboxMessage:
        """Press a button of the /repeat message; it is edited to show ``shows``."""
        await people.press(ANNA, view.message_id, text=label)
        return await people.wait_for(
            ANNA, lambda m: m.message_id == view.message_id and shows in m.text + str(m.buttons())
        )

    plants = await press(f"1. {PLANTS}", f"Kim: {PLANTS}")
    assert plants.text == f"Kim: {PLANTS}: varje vardag"
    assert plants.buttons() == [
        "⏸ Pausa 1 v", "⏸ Pausa 2 v", "⏸ Pausa 4 v", "📅 Ändra dagar", "🕐 Ändra tid",
        "⏹ Avsluta", "↩ Tillbaka",
    ]  # fmt: skip
    paused = await press("⏸ Pausa 1 v", "pausad")
    assert paused.text == f"Kim: {PLANTS}: varje vardag (pausad 24/11–30/11)"
    assert paused.buttons()[0] == "▶️ Börja igen nu"
    assert await titles_on(running_bot, tomorrow) == [MEETING]

    await press("↩ Tillbaka", "Återkommande")
    await press(f"2. {MEETING}", f"Kim: {MEETING}")
    days = await press("📅 Ändra dagar", "Vilka dagar")
    assert days.buttons()[:7] == ["☐ mån", "☐ tis", "☑ ons", "☐ tors", "☐ fre", "☐ lör", "☐ sön"]
    await press("☐ tors", "☑ tors")
    changed = await press("✅ Spara", "torsdag")
    assert changed.text == f"Kim: {MEETING}: varje onsdag och torsdag kl 09:00"
    await press("🕐 Ändra tid", "Vilken tid")
    retimed = await press("10:00", "kl 10:00")
    assert retimed.text == f"Kim: {MEETING}: varje onsdag och torsdag kl 10:00"
    async with services.sessions() as session:
        plan = await session.scalar(select(DayPlan).where(DayPlan.day == tomorrow))
        assert plan is not None
        assert [(t.template.title, t.time_of_day) for t in plan.tasks] == [(MEETING, time(10))]

    ask = await press("⏹ Avsluta", "fler listor")
    assert ask.text == f"Avsluta {MEETING} för Kim? Den kommer inte på fler listor."
    ended = await press("⏹ Ja, avsluta", "Återkommande uppgifter för")
    assert ended.text.splitlines()[2:] == [f"1. {PLANTS}: varje vardag (pausad 24/11–30/11)"]
    assert await titles_on(running_bot, tomorrow) == []

    cia = await invite(services, Role.SUPPORT, "Cia", group="Rutt 2")
    await join(people, CIA, "Cia", cia.code)
    assert await say(people, CIA, "/repeat Kim") == "Den listan kan du inte ändra."
    message = (await people.bot_messages(CIA))[-1]
    press = await people.press(CIA, message.message_id, data="T:100")
    assert (await people.wait_for_answer(press))["text"] == "Den listan kan du inte ändra."
    async with services.sessions() as session:
        actions = list(
            await session.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.action.like("plan.repeat_%"), AuditEntry.actor_id.is_not(None))
                .order_by(AuditEntry.id)
            )
        )
    assert actions == [
        "plan.repeat_pause",
        "plan.repeat_change",
        "plan.repeat_time",
        "plan.repeat_end",
    ]


async def titles_on(bot: RunningBot, day: date) -> list[str]:
    async with bot.services.sessions() as session:
        plan = await session.scalar(select(DayPlan).where(DayPlan.day == day))
        return [t.template.title for t in plan.tasks] if plan is not None else []


async def test_the_coming_days_are_shown_as_they_will_be_without_writing_them(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    """Tuesday morning, nothing drafted ahead yet: Kim's /week and Anna's /plan show the
    days as drafting will make them (recurrences, additions, what moves on), marked as
    not final, and nothing is written."""
    services = running_bot.services
    await kim_and_anna(running_bot, people, capacity=4)
    today = services.today()
    wednesday, thursday, friday = (today.replace(day=d) for d in (25, 26, 27))
    async with services.sessions.begin() as session:
        await add_task.repeat(
            services, session, "Kim", PLANTS, weekdays=[0, 1, 2, 3, 4], starts_on=wednesday
        )
        await add_task.repeat(
            services, session, "Kim", MEETING, weekdays=[2], starts_on=today, at=time(9, 0)
        )
        await add_task.once(services, session, "Kim", LUNCH, day=wednesday)
        await add_task.once(services, session, "Kim", BOXES, day=thursday)
    before = await stored_plans(running_bot)
    assert {day: titles for day, titles in before.items() if day > today} == {
        wednesday: [LUNCH],
        thursday: [BOXES],
    }

    # Wednesday: the meeting is an appointment, so the dishes (added) move to Thursday;
    # Thursday is full with the boxes, so they move on to Friday.
    week = await say(people, KIM, "/week")
    assert week.splitlines() == [
        "Dina kommande dagar:",
        f"Onsdag 25/11 (inte klar än): {MEETING}, {PLANTS}",
        f"Torsdag 26/11 (inte klar än): {BOXES}, {PLANTS}",
        f"Fredag 27/11 (inte klar än): {LUNCH}, {PLANTS}",
        f"Måndag 30/11 (inte klar än): {PLANTS}",
        f"Tisdag 1/12 (inte klar än): {PLANTS}",
        "",
        "Listorna kan ändras lite innan dess.",
    ]

    assert await say(people, ANNA, "/plan") == "Vems lista vill du se?"
    view = (await people.bot_messages(ANNA))[-1]
    await press_and_wait(people, ANNA, view, "Kim", "Vilken dag")
    shown = await press_and_wait(people, ANNA, view, "fre 27/11", "Kim, ")
    assert shown.text.splitlines() == [
        "Kim, fredag 27 november (inte gjord än)",
        "",
        f"1. {LUNCH} (ny)",
        f"2. {PLANTS} (ny)",
        "Ork: vanlig dag (4 poäng). Listan väger 3.",
        "Inte klar än: så här blir listan om inget ändras. Den görs kvällen innan.",
    ]
    assert shown.buttons() == ["➕ Lägg till uppgift", "💪 Ork: vanlig dag (4)"]
    assert await stored_plans(running_bot) == before
    assert friday not in before


async def stored_plans(bot: RunningBot) -> dict[date, list[str]]:
    async with bot.services.sessions() as session:
        plans = await session.scalars(select(DayPlan).order_by(DayPlan.day))
        return {plan.day: [t.template.title for t in plan.tasks] for plan in plans}
