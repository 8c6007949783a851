"""Staff see what a co-worker signals: "😞 Tung dag", the reason given for "Inte idag"
and reminders left unanswered are in ``/team`` and the daily summary, and the heavy day
and the reason reach the member of staff responsible now as a short note (not an
alarm). The daily summary does not go to staff who are away; staff of another group
see nothing of Kim."""

from __future__ import annotations

from datetime import time

from sqlalchemy import select

from bot.rules.localtime import local_moment
from bot.sandbox.client import SandboxClient, SandboxMessage
from bot.services.people import rota
from storage.models import (
    AuditEntry,
    PlannedTask,
    Reminder,
    ReminderKind,
    ReminderStatus,
    Role,
    TaskTemplate,
)
from storage.repos import organisation as org_repo
from storage.repos import people as people_repo
from tests.e2e.conftest import RunningBot
from tests.e2e.helpers import new_bot_message, seen
from tests.e2e.safety_net import ANNA, BO, CIA, KIM, a_route, at

ELI, LO = 2009, 1009
TIRED = "😴 Jag är trött"
NOT_TODAY = "🌙 Inte idag"


async def another_group(bot: RunningBot, people: SandboxClient) -> None:
    """Eli works in Rutt 2, with Lo: Kim is none of Eli's business."""
    services = bot.services
    async with services.sessions.begin() as session:
        group = await org_repo.add_group(session, "Rutt 2", None, services.now())
        for name, role, user in (("Eli", Role.SUPPORT, ELI), ("Lo", Role.COWORKER, LO)):
            await people_repo.add_person(
                session,
                name=name,
                role=role,
                now=services.now(),
                group=group,
                telegram_user_id=user,
            )
    await people.add_user(ELI, "Eli", started=True)


async def morning_list(bot: RunningBot, people: SandboxClient) -> SandboxMessage:
    at(bot, 8, 0, 1)
    await people.wait_for(KIM, lambda m: m.text.startswith("Hur mår du idag?"))
    (listed,) = [m for m in await people.bot_messages(KIM) if m.text.startswith("God morgon")]
    return listed


async def not_today_because_tired(people: SandboxClient, listed: SandboxMessage) -> None:
    known = await seen(people, KIM)
    await people.press(KIM, listed.message_id, text="2. Torka borden")
    card = await new_bot_message(people, KIM, known, "Torka borden")
    await people.press(KIM, card.message_id, text=NOT_TODAY)
    asked = await people.wait_for(
        KIM, lambda m: m.message_id == card.message_id and TIRED in m.buttons()
    )
    await people.press(KIM, asked.message_id, text=TIRED)
    await people.wait_for(KIM, lambda m: m.message_id == card.message_id and m.buttons() == [])


async def heavy_day(bot: RunningBot, people: SandboxClient, *, answer_at: int = 15) -> None:
    at(bot, 15, 30, 1)
    summary = await people.wait_for(KIM, lambda m: "Hur var din dag?" in m.text)
    at(bot, answer_at, 40)
    await people.press(KIM, summary.message_id, text="😞 Tung dag")
    await people.wait_for(KIM, lambda m: m.message_id == summary.message_id and m.edited > 0)


async def test_signals_reach_staff_and_the_summary_skips_who_is_away(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    services = running_bot.services
    route = await a_route(running_bot, people, titles=("Vattna blommorna", "Torka borden"))
    await another_group(running_bot, people)
    async with services.sessions.begin() as session:  # Bo is home sick today
        await rota.add_absence(
            services, session, "Bo", None, local_moment(services.today(), time(23), services.zone)
        )
    listed = await morning_list(running_bot, people)
    at(running_bot, 9)
    annas = await seen(people, ANNA)
    await not_today_because_tired(people, listed)
    note = await new_bot_message(people, ANNA, annas, "⏭")
    assert note.text == (
        "⏭ Kim gör inte Torka borden idag: 😴 Jag är trött\nInget larm, bara så att du vet."
    )
    assert note.buttons() == []

    # A reminder of Vattna blommorna went out, repeated, and got no answer.
    async with services.sessions.begin() as session:
        plants = await session.scalar(
            select(PlannedTask)
            .join(PlannedTask.template)
            .where(TaskTemplate.title == "Vattna blommorna")
        )
        assert plants is not None and plants.template.title == "Vattna blommorna"
        session.add(
            Reminder(
                planned_task_id=plants.id,
                person_id=route.ids["Kim"],
                kind=ReminderKind.DUE,
                status=ReminderStatus.SENT,
                due_at=services.now(),
                repeats=2,
                last_sent_at=services.now(),
                created_at=services.now(),
            )
        )

    annas = await seen(people, ANNA)
    await heavy_day(running_bot, people)
    heavy = await new_bot_message(people, ANNA, annas, "😞")
    assert heavy.text == "😞 Kim svarade ”Tung dag” idag.\nInget larm, bara så att du vet."

    at(running_bot, 15, 45, 1)
    expected = [
        "Idag, tisdag 24 november",
        "",
        "Rutt 1",
        "⚪ Kim · 0 av 2 klara · 😞 · 🔕 1",
        "   ⏭ Torka borden: 😴 Jag är trött",
        "",
        "🟢🟡🔴 morgonens svar (⚪ inget svar) · 🙋 bett om hjälp · ✉️ obesvarade "
        "meddelanden. Tryck på ett namn för dagens lista.",
        "😞 tung dag · 🔕 obesvarade påminnelser · ⏭ inte idag, och varför.",
    ]
    for user in (ANNA, CIA):
        summary = await people.wait_for(user, lambda m: m.text.startswith("Idag, tisdag"))
        assert summary.text.splitlines() == expected
    eli = await people.wait_for(ELI, lambda m: m.text.startswith("Idag, tisdag"))
    assert "Kim" not in eli.text
    assert not [m for m in await people.bot_messages(BO) if m.text.startswith("Idag")]

    known = await seen(people, CIA)
    await people.send_text(CIA, "/team")
    assert (await new_bot_message(people, CIA, known)).text.splitlines() == expected

    async with services.sessions() as session:
        told = list(
            await session.execute(
                select(AuditEntry.actor_id, AuditEntry.action).where(
                    AuditEntry.action.like("signal.%")
                )
            )
        )
    assert sorted(told) == [
        (route.ids["Anna"], "signal.heavy_day"),
        (route.ids["Anna"], "signal.not_today"),
    ]


async def test_a_signal_when_nobody_is_on_duty_waits_and_says_the_day(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    await a_route(running_bot, people)
    await morning_list(running_bot, people)
    await heavy_day(running_bot, people, answer_at=17)  # everyone went home at 16
    assert not [m for m in await people.bot_messages(ANNA) if m.text.startswith("😞")]
    at(running_bot, 7, 0, 1, days=1)
    note = await people.wait_for(ANNA, lambda m: m.text.startswith("😞"))
    assert note.text == "😞 Kim svarade ”Tung dag” igår.\nInget larm, bara så att du vet."
