"""``/plan``: a support person reviews a co-worker's coming list and changes it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.sandbox.client import SandboxClient
from bot.services.planning import add_task
from storage.models import DayPlan, PlanStatus, Role, TaskTemplate
from tests.e2e.conftest import RunningBot
from tests.e2e.test_invite_in_chat import say
from tests.e2e.test_joining import invite, join

ANNA, KIM = 2001, 1001


async def test_review_reorder_remove_and_approve(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    services = running_bot.services
    anna = await invite(services, Role.SUPPORT, "Anna", group="Rutt 1")
    await join(people, ANNA, "Anna", anna.code)
    kim = await invite(services, Role.COWORKER, "Kim", group="Rutt 1")
    await join(people, KIM, "Kim", kim.code)
    # Anna is told that Kim joined; the answers she waits for below come after that note.
    await people.wait_for(ANNA, lambda m: m.text.startswith("Kim har gått med"))
    sara = await invite(services, Role.COWORKER, "Sara", group="Rutt 2")
    tomorrow = services.today() + timedelta(days=1)
    async with services.sessions.begin() as session:
        for title in ("Vattna blommorna", "Torka borden", "Sortera posten"):
            session.add(TaskTemplate(title=title, created_at=services.now()))
        await session.flush()
        for title in ("Vattna blommorna", "Torka borden", "Sortera posten"):
            await add_task.once(services, session, "Kim", title, day=tomorrow)

    assert await say(people, ANNA, "/plan") == "Vems lista vill du se?"
    view = (await people.bot_messages(ANNA))[-1]
    assert view.buttons() == ["Kim"]
    foreign = await people.press(ANNA, view.message_id, data=f"P:{sara.person.id}")
    assert (await people.wait_for_answer(foreign))["text"] == "Den listan kan du inte ändra."

    await people.press(ANNA, view.message_id, text="Kim")
    days = await people.wait_for(ANNA, lambda m: m.text == "Vilken dag för Kim?")
    assert len(days.buttons()) == 14 and days.buttons()[1] == "ons 25/11"
    await people.press(ANNA, view.message_id, text="ons 25/11")
    shown = await people.wait_for(ANNA, lambda m: m.text.startswith("Kim, onsdag 25 november"))
    assert shown.text.splitlines()[0] == "Kim, onsdag 25 november (utkast)"
    assert shown.text.splitlines()[2:] == [
        "1. Vattna blommorna (ny)",
        "2. Torka borden (ny)",
        "3. Sortera posten (ny)",
        "Ork: vanlig dag (6 poäng). Listan väger 3.",
    ]
    assert shown.buttons()[-1] == "✅ Godkänn listan"

    await people.press(ANNA, view.message_id, text="↓ 1")
    moved = await people.wait_for(ANNA, lambda m: "(godkänd)" in m.text)
    assert moved.text.splitlines()[2:4] == ["1. Torka borden (ny)", "2. Vattna blommorna (ny)"]
    assert "✅ Godkänn listan" not in moved.buttons()
    await people.press(ANNA, view.message_id, text="✕ 3")
    await people.wait_for(ANNA, lambda m: "Sortera posten" not in m.text and "(godkänd)" in m.text)

    kims_message = (await people.bot_messages(KIM))[-1]
    kims_press = await people.press(KIM, kims_message.message_id, data="Y:1")
    assert (await people.wait_for_answer(kims_press))["text"] == "Den knappen fungerar inte längre."
    async with services.sessions() as session:
        plan = await session.scalar(select(DayPlan).where(DayPlan.day == tomorrow))
    assert plan is not None and plan.status is PlanStatus.APPROVED
    assert plan.approved_by_id == anna.person.id
    assert [t.template.title for t in plan.tasks] == ["Torka borden", "Vattna blommorna"]
