"""Stamina per weekday, through the sandbox: Anna makes Kim's Mondays lighter from the
stamina chooser under Kim's list; Monday's list is drafted for the lighter day and
Tuesday's for the usual one; the change is audited and can be undone.

The clock starts on Tuesday 24 November 2026; the next Monday is 30 November.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.sandbox.client import SandboxClient
from bot.services.people.organisation import find_coworker
from bot.services.planning import add_task, drafting
from storage.models import AuditEntry, DayPlan
from tests.e2e.conftest import RunningBot
from tests.e2e.helpers import new_bot_message, seen
from tests.e2e.test_planning_months import ANNA, LUNCH, MEETING, PLANTS, STRAIN, kim_and_anna
from tests.e2e.test_review_buttons import press_and_wait

MONDAY, TUESDAY = date(2026, 11, 30), date(2026, 12, 1)


async def drafted(bot: RunningBot, day: date) -> list[str]:
    """Kim's list for ``day`` as the nightly drafting makes it: the tasks' titles."""
    services = bot.services
    async with services.sessions.begin() as session:
        kim = await find_coworker(session, "Kim")
        await drafting.draft_day(services, session, kim, day)
    async with services.sessions() as session:
        plan = await session.scalar(select(DayPlan).where(DayPlan.day == day))
        return [task.template.title for task in plan.tasks] if plan else []


async def test_mondays_are_lighter_and_tuesdays_as_usual(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    services = running_bot.services
    await kim_and_anna(running_bot, people)  # usual stamina 6
    async with services.sessions.begin() as session:
        for title in (PLANTS, LUNCH, MEETING):  # 1 + 2 + 3 = 6 every weekday
            await add_task.repeat(
                services, session, "Kim", title, weekdays=[0, 1, 2, 3, 4], starts_on=MONDAY
            )
    await people.wait_for(ANNA, lambda m: m.text.startswith("Kim har gått med"))
    known = await seen(people, ANNA)
    await people.send_text(ANNA, "/plan")
    choose = await new_bot_message(people, ANNA, known)
    days = await press_and_wait(people, ANNA, choose, "Kim", "Vilken dag för Kim?")
    review = await press_and_wait(people, ANNA, days, "mån 30/11", "Kim, måndag 30 november")

    picker = await press_and_wait(people, ANNA, review, "💪 Ork: vanlig dag (6)", "Hur mycket")
    assert picker.buttons()[-8:] == ["mån", "tis", "ons", "tors", "fre", "lör", "sön", "↩ Tillbaka"]
    monday = await press_and_wait(people, ANNA, picker, "mån", "Hur mycket orkar Kim en måndag")
    assert monday.text == "Hur mycket orkar Kim en måndag? Andra dagar: vanlig dag (6 poäng)."
    assert monday.buttons()[-2:] == ["• Som andra dagar", "↩ Tillbaka"]
    lighter = await press_and_wait(people, ANNA, monday, "3 – lätt dag", "Kim, måndag")
    assert "Ork: lätt dag (3 poäng)." in lighter.text
    assert "💪 Ork en måndag: lätt dag (3)" in lighter.buttons()

    again = await press_and_wait(
        people, ANNA, lighter, "💪 Ork en måndag: lätt dag (3)", "Hur mycket"
    )
    assert again.text.splitlines()[1] == "En måndag: lätt dag (3 poäng)."
    assert "mån 3" in again.buttons() and "• 6 – vanlig dag" in again.buttons()

    on_monday, on_tuesday = await drafted(running_bot, MONDAY), await drafted(running_bot, TUESDAY)
    assert sum(STRAIN[title] for title in on_monday) <= 3
    assert set(on_monday) < {PLANTS, LUNCH, MEETING}
    assert set(on_tuesday) == {PLANTS, LUNCH, MEETING}
    async with services.sessions() as session:
        kim = await find_coworker(session, "Kim")
        details = list(
            await session.scalars(
                select(AuditEntry.detail).where(AuditEntry.action == "plan.capacity_weekday")
            )
        )
    assert (kim.capacity, kim.capacity_on(MONDAY), kim.capacity_on(TUESDAY)) == (6, 3, 6)
    assert details == ["mon: usual -> 3"]

    # As other days again: the review shows Monday with the usual stamina, audited.
    back = await press_and_wait(people, ANNA, again, "mån 3", "Hur mycket orkar Kim en måndag")
    assert "• 3 – lätt dag" in back.buttons()
    usual = await press_and_wait(people, ANNA, back, "Som andra dagar", "Kim, måndag")
    assert "💪 Ork: vanlig dag (6)" in usual.buttons()
    async with services.sessions() as session:
        kim = await find_coworker(session, "Kim")
        details = list(
            await session.scalars(
                select(AuditEntry.detail)
                .where(AuditEntry.action == "plan.capacity_weekday")
                .order_by(AuditEntry.id)
            )
        )
    assert kim.weekday_capacity is None and kim.capacity_on(MONDAY) == 6
    assert details == ["mon: usual -> 3", "mon: 3 -> usual"]
