"""Old messages must not lie: once one member of staff takes a call, every other alert
for it says who took it and has no "Jag tar det" button (edited through the outbox); an
alert that reaches someone on another day names the day; a press on an old alert gets a
clear answer."""

from __future__ import annotations

from sqlalchemy import delete, select

from bot.sandbox.client import SandboxClient, SandboxMessage
from storage.models import HelpRequest, OutboxMessage, OutboxStatus
from tests.e2e.conftest import RunningBot
from tests.e2e.helpers import seen, sent_and_recorded
from tests.e2e.safety_net import ANNA, BO, CIA, KIM, ON_IT, a_route, at, next_step, requests

HELP = "🙋 Jag behöver hjälp"


async def kim_asks_for_help(people: SandboxClient) -> None:
    known = await seen(people, KIM)
    await people.send_text(KIM, "/today")
    listed = await people.wait_for(
        KIM, lambda m: m.message_id not in known and m.text.startswith("God morgon")
    )
    await people.press(KIM, listed.message_id, text=HELP)


async def alert(people: SandboxClient, user: int) -> SandboxMessage:
    return await people.wait_for(user, lambda m: m.from_bot and m.text.startswith("🙋 Kim"))


async def test_taking_a_call_settles_every_other_alert(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    services = running_bot.services
    await a_route(running_bot, people)
    at(running_bot, 9)
    await kim_asks_for_help(people)
    anna = await alert(people, ANNA)
    await next_step(running_bot)
    bo = await alert(people, BO)
    assert bo.text.endswith("Ingen har svarat än.") and bo.buttons() == [ON_IT]
    await sent_and_recorded(services, ANNA, anna.message_id)
    await sent_and_recorded(services, BO, bo.message_id)

    answer = await people.wait_for_answer(await people.press(BO, bo.message_id, text=ON_IT))
    assert answer["text"] == "Tack! Kim får veta att du hör av dig."
    mine = await people.wait_for(BO, lambda m: m.message_id == bo.message_id and m.edited > 0)
    assert mine.text.splitlines() == [
        "🙋 Kim behöver hjälp (kl 09:00).",
        "Grupp: Rutt 1",
        "Hör av dig till Kim så snart du kan.",
        "✅ Du tar hand om Kim.",
    ]
    assert mine.buttons() == []

    annas = await people.wait_for(ANNA, lambda m: m.message_id == anna.message_id and m.edited > 0)
    assert annas.text.splitlines()[-1] == "✅ Bo tar hand om Kim."
    assert "Ingen har svarat än." not in annas.text and annas.buttons() == []
    note = await people.wait_for(ANNA, lambda m: m.from_bot and m.text == "Bo tar hand om Kim.")
    assert note.message_id > anna.message_id
    await people.wait_for(KIM, lambda m: m.text == "Bo har sett det och hör av sig.")
    assert await people.bot_messages(CIA) == []  # never told: nothing to settle

    # A press on Anna's old alert (an old client still shows the button) is answered.
    pressed = await people.press(ANNA, anna.message_id, data=anna.button_data(ON_IT))
    late = await people.wait_for_answer(pressed)
    assert (late["text"], late["show_alert"]) == ("Bo tar hand om Kim.", True)

    (request,) = await requests(running_bot)
    assert request.acknowledged_by_id is not None and request.next_step_at is None
    async with services.sessions() as session:
        edit = await session.scalar(
            select(OutboxMessage).where(
                OutboxMessage.idempotency_key == f"help:{request.id}:0:settled"
            )
        )
    assert edit is not None and edit.status is OutboxStatus.SENT
    assert edit.payload["edit"] == {"message_id": anna.message_id}


async def test_an_alert_delivered_on_another_day_says_the_day(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    await a_route(running_bot, people)
    at(running_bot, 18, 30)  # everyone is off duty: Anna hears it tomorrow at 07:00
    await kim_asks_for_help(people)
    receipt = await people.wait_for(KIM, lambda m: m.text.startswith("Ingen har tjänst"))
    assert receipt.text.splitlines()[1] == "Anna får veta det imorgon klockan 07:00."
    # Nothing about the call yet (the evening review of tomorrow's lists may come at 18:30).
    assert not [m for m in await people.bot_messages(ANNA) if "behöver hjälp" in m.text]

    at(running_bot, 7, 0, 1, days=1)
    told = await alert(people, ANNA)
    assert told.text.splitlines()[0] == "🙋 Kim behöver hjälp (igår kl 18:30)."
    assert told.buttons() == [ON_IT]


async def test_a_press_on_an_alert_for_a_call_no_longer_kept(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    services = running_bot.services
    await a_route(running_bot, people)
    at(running_bot, 9)
    await kim_asks_for_help(people)
    anna = await alert(people, ANNA)
    async with services.sessions.begin() as session:  # as the nightly retention would
        await session.execute(delete(HelpRequest))
    late = await people.wait_for_answer(await people.press(ANNA, anna.message_id, text=ON_IT))
    assert late["text"] == (
        "Det här larmet är gammalt och gäller inte längre. Skriv /team för att se hur det är idag."
    )
    gone = await people.wait_for(ANNA, lambda m: m.message_id == anna.message_id and m.edited > 0)
    assert gone.buttons() == []
