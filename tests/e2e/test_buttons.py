"""Every kind of bad press gets a short, clear answer and changes nothing it should not."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from bot.sandbox.client import SandboxClient
from bot.services.planning import drafting_everyone
from storage.models import DayPlan, PlannedTask, PlanStatus, TaskStatus
from tests.e2e.conftest import RunningBot
from tests.e2e.helpers import coworker_with_plan, new_bot_message, open_today, seen

KIM, SARA, EVE = 1001, 1002, 6666
NOT_AVAILABLE = "Den uppgiften finns inte längre på din lista."


async def statuses(bot: RunningBot) -> dict[int, TaskStatus]:
    async with bot.services.sessions() as session:
        return {t.id: t.status for t in await session.scalars(select(PlannedTask))}


async def test_open_and_done_twice(running_bot: RunningBot, people: SandboxClient) -> None:
    _, (task,) = await coworker_with_plan(
        running_bot.services, name="Kim", telegram_id=KIM, day=running_bot.services.today()
    )
    await list_sent(running_bot, task.day_plan_id)
    await people.add_user(KIM, "Kim")
    today = await open_today(people, KIM)
    known = await seen(people, KIM)
    await people.press(KIM, today.message_id, text="1. Vattna blommorna")
    card = await new_bot_message(people, KIM, known, "Vattna blommorna")
    assert card.text == "Vattna blommorna\nDet tar ungefär 20 minuter."
    assert card.buttons() == [
        "Visa stegen",
        "✅ Klar",
        "🙋 Jag behöver hjälp",
        "⏰ Senare",
        "🌙 Inte idag",
    ]

    first = await people.press(KIM, card.message_id, text="✅ Klar")
    await people.wait_for(KIM, lambda m: m.message_id == card.message_id and m.edited > 0)
    assert (await people.callback_answer(first))["text"] == "Bra jobbat!"
    # A second press on the old (now edited) card: a forged or slow client can still send it.
    second = await people.press(KIM, card.message_id, data=f"d:{task.id}")
    answer = await wait_answered(people, second)
    assert answer["text"] == "Den är redan klar."
    assert await statuses(running_bot) == {task.id: TaskStatus.DONE}


async def list_sent(bot: RunningBot, plan_id: int) -> None:
    """The list counts as delivered with familiar tasks, so the clock's drafting (which
    may have run since the plan was made) leaves it as it is."""
    async with bot.services.sessions.begin() as session:
        plan = await session.get(DayPlan, plan_id)
        assert plan is not None
        plan.status = PlanStatus.SENT
        for task in plan.tasks:
            task.first_time = False


async def wait_answered(people: SandboxClient, callback_id: str) -> dict[str, object]:
    for _ in range(100):
        answer = await people.callback_answer(callback_id)
        if answer["answered"]:
            return answer
        await asyncio.sleep(0.05)
    raise AssertionError("the bot never answered the button press")


async def test_forged_and_foreign_buttons_change_nothing(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    today = running_bot.services.today()
    _, (kims_task,) = await coworker_with_plan(
        running_bot.services, name="Kim", telegram_id=KIM, day=today
    )
    await coworker_with_plan(running_bot.services, name="Sara", telegram_id=SARA, day=today)
    await people.add_user(SARA, "Sara")
    saras_list = await open_today(people, SARA)

    foreign = await people.press(SARA, saras_list.message_id, data=f"d:{kims_task.id}")
    assert (await wait_answered(people, foreign))["text"] == NOT_AVAILABLE
    missing = await people.press(SARA, saras_list.message_id, data="o:999999")
    assert (await wait_answered(people, missing))["text"] == NOT_AVAILABLE
    garbage = await people.press(SARA, saras_list.message_id, data="drop table;")
    assert (await wait_answered(people, garbage))["text"] == "Den knappen fungerar inte längre."
    assert set((await statuses(running_bot)).values()) == {TaskStatus.OPEN}


async def test_a_stranger_pressing_a_button_learns_nothing(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    _, (task,) = await coworker_with_plan(
        running_bot.services, name="Kim", telegram_id=KIM, day=running_bot.services.today()
    )
    await people.add_user(KIM, "Kim")
    kims_list = await open_today(people, KIM)
    await people.add_user(EVE, "Eve")
    await people.send_text(EVE, "hej")
    await people.wait_for(EVE, lambda m: m.from_bot)
    pressed = await people.press(EVE, kims_list.message_id, data=f"d:{task.id}")
    answer = await wait_answered(people, pressed)
    assert str(answer["text"]).startswith("Den här boten är för personer i Vardags arbetsträning.")
    assert await statuses(running_bot) == {task.id: TaskStatus.OPEN}


async def test_yesterdays_list_points_to_today(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    services = running_bot.services
    yesterday = services.today() - timedelta(days=1)
    _, (old_task,) = await coworker_with_plan(
        services, name="Kim", telegram_id=KIM, day=yesterday, titles=("Torka borden",)
    )
    await people.add_user(KIM, "Kim")
    running_bot.clock.advance(timedelta(days=-1))
    old_list = await open_today(people, KIM)
    running_bot.clock.advance(timedelta(days=1))

    await drafting_everyone.draft_all(services, services.today())  # as the clock's tick does
    known = await seen(people, KIM)
    await people.press(KIM, old_list.message_id, text="1. Torka borden")
    pointer = await new_bot_message(people, KIM, known)
    assert pointer.text == "Det här är en gammal lista. Här är dagens:"
    assert pointer.buttons() == ["Dagens lista"]

    known = await seen(people, KIM)
    await people.press(KIM, pointer.message_id, text="Dagens lista")
    todays = await new_bot_message(people, KIM, known)
    assert todays.text.startswith("God morgon Kim! Idag är det tisdag 24 november.")
    assert todays.buttons() == ["1. Torka borden", "🙋 Jag behöver hjälp"]
    async with services.sessions() as session:
        old = await session.get(PlannedTask, old_task.id)
    # Yesterday's task was carried over to today by the drafting, not done by the press.
    assert old is not None and old.status is TaskStatus.CARRIED_OVER
