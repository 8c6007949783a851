"""``/add``: a support person puts a catalogue task on a co-worker's list, once (before and
after the morning list went out) or on repeat, finding it by typing part of its name."""

from __future__ import annotations

from datetime import time

from sqlalchemy import select

from bot.rules.localtime import local_moment
from bot.sandbox.client import SandboxClient, SandboxMessage
from bot.services.planning import add_task
from storage.models import DayPlan, PlannedTask, PlanStatus, Recurrence, Role, TaskTemplate
from tests.e2e.conftest import RunningBot
from tests.e2e.helpers import new_bot_message, open_today, seen
from tests.e2e.test_joining import invite, join

ANNA, KIM = 2001, 1001


async def anna_and_kim(bot: RunningBot, people: SandboxClient) -> None:
    services = bot.services
    for role, name, user in ((Role.SUPPORT, "Anna", ANNA), (Role.COWORKER, "Kim", KIM)):
        made = await invite(services, role, name)
        await join(people, user, name, made.code)
    async with services.sessions.begin() as session:
        for title in ("Vattna blommorna", "Sortera posten", "Sopa trappan"):
            session.add(TaskTemplate(title=title, created_at=services.now()))
        session.add(TaskTemplate(title="Gammal uppgift", created_at=services.now(), active=False))
        await session.flush()
        await add_task.once(services, session, "Kim", "Vattna blommorna", day=services.today())


async def send(people: SandboxClient, user: int, text: str, starts_with: str) -> SandboxMessage:
    known = await seen(people, user)
    await people.send_text(user, text)
    return await new_bot_message(people, user, known, starts_with)


async def press(
    people: SandboxClient, user: int, message: SandboxMessage, label: str, starts_with: str
) -> SandboxMessage:
    """Press a button; each step of /add edits the message it was asked in."""
    await people.press(user, message.message_id, text=label)
    return await people.wait_for(
        user, lambda m: m.message_id == message.message_id and m.text.startswith(starts_with)
    )


async def add_once_today(
    people: SandboxClient, typed: str, title: str, at: str | None
) -> SandboxMessage:
    """/add → Kim → type → pick → once → today → a time (typed) or none."""
    asked = await send(people, ANNA, "/add", "Vem ska göra")
    asked = await press(people, ANNA, asked, "Kim", "Vilken uppgift ska Kim göra?")
    found = await send(people, ANNA, typed, "Uppgifter med")
    often = await press(people, ANNA, found, title, "Hur ofta")
    assert often.buttons() == ["En gång", "Varje vardag", "Vissa veckodagar", "Varannan vecka"]
    day = await press(people, ANNA, often, "En gång", "Vilken dag?")
    assert day.buttons()[0] == "tis 24/11" and len(day.buttons()) == 14
    when = await press(people, ANNA, day, "tis 24/11", "Vilken tid?")
    if at is None:
        return await press(people, ANNA, when, "Ingen särskild tid", "Klart!")
    return await send(people, ANNA, at, "Klart!")


async def test_added_before_the_morning_is_on_the_list(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    await anna_and_kim(running_bot, people)
    done = await add_once_today(people, "SOP", "Sopa trappan", None)
    assert done.text == "Klart! Sopa trappan ligger på listan för Kim tisdag 24 november."

    known = await seen(people, KIM)
    services = running_bot.services
    running_bot.clock.set(local_moment(services.today(), time(8, 0), services.zone))
    morning = await new_bot_message(people, KIM, known, "God morgon")
    assert "1. Vattna blommorna (ny)" in morning.text.splitlines()
    assert "2. Sopa trappan (ny)" in morning.text.splitlines()
    assert not [m for m in await people.bot_messages(KIM) if "ny uppgift" in m.text]


async def test_added_after_the_morning_reaches_the_coworker(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    await anna_and_kim(running_bot, people)
    services = running_bot.services
    known = await seen(people, KIM)
    running_bot.clock.set(local_moment(services.today(), time(8, 0), services.zone))
    await new_bot_message(people, KIM, known, "God morgon")

    known = await seen(people, KIM)
    done = await add_once_today(people, "post", "Sortera posten", "14.00")
    assert done.text.splitlines() == [
        "Klart! Sortera posten ligger på listan för Kim tisdag 24 november kl 14:00.",
        "Listan var redan skickad, så Kim får ett kort meddelande om den nya uppgiften.",
    ]
    note = await new_bot_message(people, KIM, known, "Anna har lagt till")
    assert note.text == "Anna har lagt till en ny uppgift idag: Sortera posten kl 14:00"
    assert note.buttons() == ["Visa uppgiften"]
    await people.press(KIM, note.message_id, text="Visa uppgiften")
    await people.wait_for(KIM, lambda m: m.text.startswith("Sortera posten"))
    today = await open_today(people, KIM)
    assert "2. Sortera posten (ny) kl 14:00" in today.text.splitlines()

    async with services.sessions() as session:
        plan = await session.scalar(select(DayPlan))
        assert plan is not None
        tasks = list(await session.scalars(select(PlannedTask).order_by(PlannedTask.position)))
    assert plan.status is PlanStatus.SENT
    assert [(t.template.title, t.time_of_day, t.added_by_id is not None) for t in tasks] == [
        ("Vattna blommorna", None, False),
        ("Sortera posten", time(14, 0), True),
    ]


async def test_a_task_on_chosen_weekdays(running_bot: RunningBot, people: SandboxClient) -> None:
    await anna_and_kim(running_bot, people)
    asked = await send(people, ANNA, "/add", "Vem ska göra")
    asked = await press(people, ANNA, asked, "Kim", "Vilken uppgift")
    often = await press(people, ANNA, asked, "Sopa trappan", "Hur ofta")
    days = await press(people, ANNA, often, "Vissa veckodagar", "Vilka dagar?")
    assert days.buttons()[:2] == ["☐ mån", "☐ tis"]
    refused = await people.press(ANNA, days.message_id, text="Klar")
    assert (await people.wait_for_answer(refused))["text"] == "Välj minst en dag."
    days = await press(people, ANNA, days, "☐ mån", "Vilka dagar?")
    days = await press(people, ANNA, days, "☐ tors", "Vilka dagar?")
    days = await press(people, ANNA, days, "☐ fre", "Vilka dagar?")
    days = await people.wait_for(ANNA, lambda m: "☑ fre" in m.buttons())
    days = await press(people, ANNA, days, "☑ fre", "Vilka dagar?")
    days = await people.wait_for(ANNA, lambda m: "☐ fre" in m.buttons())
    when = await press(people, ANNA, days, "Klar", "Vilken tid?")
    bad = await send(people, ANNA, "25.99", "Skriv tiden")
    assert bad.text == "Skriv tiden som 9.15 eller 14:00, eller välj en knapp."
    done = await press(people, ANNA, when, "09:30", "Klart!")
    assert (
        done.text
        == "Klart! Kim gör Sopa trappan varje måndag och torsdag kl 09:30, från och med idag."
    )

    async with running_bot.services.sessions() as session:
        (rule,) = await session.scalars(select(Recurrence).where(Recurrence.template_id == 3))
    assert (rule.rrule, rule.time_of_day) == ("FREQ=WEEKLY;BYDAY=MO,TH", time(9, 30))


async def test_wrong_input_on_the_way(running_bot: RunningBot, people: SandboxClient) -> None:
    await anna_and_kim(running_bot, people)
    assert (await send(people, KIM, "/add", "")).text == "Det här kan bara personal göra."
    asked = await send(people, ANNA, "/add", "Vem ska göra")
    typed = await send(people, ANNA, "Kim", "Tryck")
    assert typed.text == "Tryck på en av knapparna, eller skriv /cancel."
    asked = await press(people, ANNA, asked, "Kim", "Vilken uppgift")
    nothing = await send(people, ANNA, "gammal", "Ingen uppgift")
    assert nothing.text == (
        "Ingen uppgift i katalogen heter något med ”gammal”. "
        "Skriv igen, eller /cancel för att avbryta."
    )
    forged = await people.press(ANNA, asked.message_id, data="K:4")  # the inactive task
    assert (await people.wait_for_answer(forged))["text"] == (
        "Den uppgiften finns inte längre i katalogen."
    )
    assert (await send(people, ANNA, "/cancel", "")).text == "Avbrutet. Inget ändrades."
    assert (await send(people, ANNA, "/cancel", "")).text == "Det finns inget att avbryta."
    async with running_bot.services.sessions() as session:
        assert len(list(await session.scalars(select(PlannedTask)))) == 1


async def test_a_button_the_step_did_not_offer_is_refused(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    """A stale or forged press in a step (a choice out of its range, or data that is none
    of ours) gets the alert that the button no longer works, and the step stays where it
    was: the buttons it did offer still work."""
    await anna_and_kim(running_bot, people)
    asked = await send(people, ANNA, "/add", "Vem ska göra")
    asked = await press(people, ANNA, asked, "Kim", "Vilken uppgift")
    often = await press(people, ANNA, asked, "Sopa trappan", "Hur ofta")
    action = often.button_data("Vissa veckodagar").partition(":")[0]
    for data in (f"{action}:99", f"{action}:-1", "zzz", f"{action}"):
        forged = await people.press(ANNA, often.message_id, data=data)
        answer = await people.wait_for_answer(forged)
        assert (answer["text"], answer["show_alert"]) == ("Den knappen fungerar inte längre.", True)
    days = await press(people, ANNA, often, "Vissa veckodagar", "Vilka dagar?")
    action = days.button_data("☐ mån").partition(":")[0]
    forged = await people.press(ANNA, days.message_id, data=f"{action}:8")
    assert (await people.wait_for_answer(forged))["show_alert"]
    days = await press(people, ANNA, days, "☐ mån", "Vilka dagar?")
    when = await press(people, ANNA, days, "Klar", "Vilken tid?")
    action = when.button_data("09:30").partition(":")[0]
    forged = await people.press(ANNA, when.message_id, data=f"{action}:{24 * 60}")
    assert (await people.wait_for_answer(forged))["show_alert"]
    done = await press(people, ANNA, when, "09:30", "Klart!")
    assert done.text.startswith("Klart! Kim gör Sopa trappan varje måndag kl 09:30")
    async with running_bot.services.sessions() as session:
        assert len(list(await session.scalars(select(Recurrence)))) == 1
