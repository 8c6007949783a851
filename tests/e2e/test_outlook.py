"""/week, /history and the evening preview through the sandbox, as a co-worker sees them."""

from __future__ import annotations

import asyncio
from datetime import date, time, timedelta

from sqlalchemy import select

from bot.context import Services
from bot.rules.localtime import local_moment
from bot.sandbox.client import SandboxClient, SandboxMessage
from bot.services.planning import plans as planning
from jobs.drafting import DRAFTED
from storage.models import (
    OutboxMessage,
    Person,
    PlanStatus,
    Role,
    TaskStatus,
    TaskTemplate,
)
from storage.repos import people as people_repo
from tests.e2e.conftest import RunningBot
from tests.e2e.helpers import new_bot_message, seen

KIM, SARA, ANNA, EVE = 1001, 1002, 2001, 6666
STRANGER = "Den här boten är för personer i Vardags arbetsträning. Be din stödperson om en länk."
TUESDAY = date(2026, 11, 24)  # the clock's day


async def person(
    services: Services, people: SandboxClient, user: int, name: str, role: Role = Role.COWORKER
) -> Person:
    """Someone who has joined and opened the chat with the bot."""
    async with services.sessions.begin() as session:
        added = await people_repo.add_person(
            session, name=name, role=role, now=services.now(), telegram_user_id=user
        )
    await people.add_user(user, name)
    await people.send_text(user, "/start")
    await people.wait_for(user, lambda m: m.text.startswith("Hej igen"))
    return added


async def day_plan(
    services: Services,
    coworker: Person,
    day: date,
    tasks: list[tuple[str, TaskStatus]],
    status: PlanStatus,
) -> None:
    async with services.sessions.begin() as session:
        stored = await session.get_one(Person, coworker.id)
        plan = await planning.ensure_plan(services, session, stored, day)
        for title, task_status in tasks:
            template = TaskTemplate(title=title, created_at=services.now())
            session.add(template)
            await session.flush()
            task = await planning.add_task(
                services, session, coworker=stored, template=template, day=day
            )
            task.status = task_status
        plan.status = status


async def ask(people: SandboxClient, user: int, text: str) -> SandboxMessage:
    known = await seen(people, user)
    await people.send_text(user, text)
    return await new_bot_message(people, user, known)


async def test_week_and_history(running_bot: RunningBot, people: SandboxClient) -> None:
    services = running_bot.services
    kim = await person(services, people, KIM, "Kim")
    await person(services, people, ANNA, "Anna", Role.SUPPORT)
    await people.add_user(EVE, "Eve")
    done, open_ = TaskStatus.DONE, TaskStatus.OPEN
    # The made-up history is written while the clock's jobs wait: a drafting tick between
    # two of these rows would carry last week's undone tasks into today.
    drafted = running_bot.application.bot_data.setdefault(DRAFTED, {})
    async with asyncio.timeout(10):  # today's first drafting tick has run (and found nothing)
        while drafted.get("today") != services.today():  # noqa: ASYNC110 - a job sets it
            await asyncio.sleep(0.05)
    scheduler = running_bot.application.job_queue.scheduler  # type: ignore[union-attr]
    scheduler.pause()
    # Last week: Thursday, Friday and Monday with something done (the weekend between
    # had no list); Wednesday the 18th had a list with nothing done.
    await day_plan(services, kim, date(2026, 11, 18), [("Torka borden", open_)], PlanStatus.SENT)
    await day_plan(services, kim, date(2026, 11, 19), [("Vattna blommorna", done)], PlanStatus.SENT)
    await day_plan(
        services,
        kim,
        date(2026, 11, 20),
        [("Torka borden", done), ("Sortera posten", done), ("Diska", open_)],
        PlanStatus.SENT,
    )
    await day_plan(services, kim, date(2026, 11, 23), [("Diska", done)], PlanStatus.SENT)
    await day_plan(services, kim, TUESDAY, [("Vattna blommorna", open_)], PlanStatus.SENT)
    # The coming days, as far as they are drafted.
    await day_plan(
        services,
        kim,
        TUESDAY + timedelta(days=1),
        [("Vattna blommorna", open_), ("Torka borden", open_)],
        PlanStatus.APPROVED,
    )
    await day_plan(
        services, kim, TUESDAY + timedelta(days=2), [("Sortera posten", open_)], PlanStatus.DRAFT
    )
    scheduler.resume()

    # Thursday is still a draft: it shows what drafting will make of it, with the tasks
    # left undone last week (never carried in this made-up history), marked as not final.
    week = await ask(people, KIM, "/week")
    assert week.text == (
        "Dina kommande dagar:\n"
        "Onsdag 25/11: Vattna blommorna, Torka borden\n"
        "Torsdag 26/11 (inte klar än): Sortera posten, Torka borden, Diska\n"
        "\n"
        "Listorna kan ändras lite innan dess."
    )
    history = await ask(people, KIM, "/history")
    assert history.text == (
        "Det här har du gjort de senaste sju dagarna:\n"
        "Torsdag 19/11: Vattna blommorna\n"
        "Fredag 20/11: Torka borden, Sortera posten\n"
        "Måndag 23/11: Diska\n"
        "\n"
        "Du har gjort minst en uppgift 3 dagar i rad. Bra jobbat!"
    )

    for command in ("/week", "/history"):
        assert (await ask(people, ANNA, command)).text == "Det här är till för medarbetare."
        assert (await ask(people, EVE, command)).text == STRANGER


async def test_nothing_ahead_and_nothing_done_get_a_kind_line(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    await person(running_bot.services, people, KIM, "Kim")
    assert (await ask(people, KIM, "/week")).text == (
        "Listorna för de kommande dagarna är inte klara än. Din stödperson gör dem i förväg."
    )
    assert (await ask(people, KIM, "/history")).text == (
        "Här ser du vad du har gjort de senaste sju dagarna. "
        "Just nu finns inget att visa, och det är okej."
    )


async def choose_preview(people: SandboxClient, user: int, label: str) -> SandboxMessage:
    """/settings: language, morning time, then the evening preview."""
    language = await ask(people, user, "/settings")
    await people.press(user, language.message_id, text="Svenska")
    morning = await people.wait_for(user, lambda m: m.text.startswith("När vill du få din lista"))
    known = await seen(people, user)
    await people.press(user, morning.message_id, text="08:00")
    question = await new_bot_message(people, user, known, "Vill du få morgondagens lista")
    assert question.text == "Vill du få morgondagens lista på kvällen?\nJust nu: nej."
    assert question.buttons() == ["Ja, gärna", "Nej tack"]
    await people.press(user, question.message_id, text=label)
    return await people.wait_for(
        user, lambda m: m.message_id == question.message_id and m.edited > 0
    )


async def test_the_evening_preview_is_chosen_in_settings_and_arrives_in_the_evening(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    services = running_bot.services
    kim = await person(services, people, KIM, "Kim")
    sara = await person(services, people, SARA, "Sara")
    tomorrow = TUESDAY + timedelta(days=1)
    for coworker in (kim, sara):
        await day_plan(
            services,
            coworker,
            tomorrow,
            [("Vattna blommorna", TaskStatus.OPEN), ("Torka borden", TaskStatus.OPEN)],
            PlanStatus.DRAFT,
        )

    on = await choose_preview(people, KIM, "Ja, gärna")
    assert on.text == "Bra! Du får morgondagens lista klockan 19:00 på kvällen."
    assert on.buttons() == []
    off = await choose_preview(people, SARA, "Nej tack")
    assert off.text == "Okej. Du får ingen lista på kvällen."
    async with services.sessions() as session:
        chosen = {
            p.display_name: p.evening_preview
            for p in await session.scalars(select(Person).order_by(Person.id))
        }
    assert chosen == {"Kim": True, "Sara": False}

    running_bot.clock.set(local_moment(TUESDAY, time(19, 0, 1), services.zone))
    preview = await people.wait_for(KIM, lambda m: m.text.startswith("Imorgon:"))
    assert preview.text == "Imorgon: Vattna blommorna, Torka borden."
    assert preview.buttons() == []
    async with services.sessions() as session:
        keys = list(
            await session.scalars(
                select(OutboxMessage.idempotency_key).where(OutboxMessage.kind == "preview")
            )
        )
    # Sara's would have been queued in the same tick as Kim's, had she chosen it.
    assert keys == [f"preview:{kim.id}:2026-11-25"]
    assert not any(m.text.startswith("Imorgon:") for m in await people.bot_messages(SARA))
