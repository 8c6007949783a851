"""A red check-in nobody takes escalates like a call for help (the contact person on
duty, the other one, the group's staff on duty) and ends with the group's responsible
admin, told plainly that nobody has taken it. The co-worker, who did not ask for help,
never gets "Jag når ingen just nu … ring 112"."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.sandbox.client import SandboxClient, SandboxMessage
from tests.e2e.conftest import RunningBot
from tests.e2e.helpers import seen
from tests.e2e.safety_net import (
    ANNA,
    BO,
    CIA,
    DAN,
    EVA,
    KIM,
    ON_IT,
    a_route,
    at,
    next_step,
    requests,
)

RED = "🔴 Inte bra"
ALERT = "🔴 Kim svarade ”Inte bra” i morse (kl 08:00).\nGrupp: Rutt 1"


async def answers_red(people: SandboxClient, bot: RunningBot) -> None:
    at(bot, 8, 0, 1)
    question = await people.wait_for(KIM, lambda m: m.text.startswith("Hur mår du idag?"))
    await people.press(KIM, question.message_id, text=RED)
    await people.wait_for(KIM, lambda m: m.message_id == question.message_id and m.edited > 0)


async def alert_for(people: SandboxClient, user: int) -> SandboxMessage:
    return await people.wait_for(user, lambda m: m.from_bot and m.text.startswith("🔴 Kim"))


async def test_an_untaken_red_check_in_ends_with_the_responsible_admin(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    await a_route(running_bot, people)
    await answers_red(people, running_bot)
    kims = await seen(people, KIM)

    anna = await alert_for(people, ANNA)
    assert anna.text == ALERT
    assert anna.buttons() == [ON_IT]
    for user in (BO, CIA):  # ten minutes each, nobody presses
        await next_step(running_bot)
        told = await alert_for(people, user)
        assert told.text == ALERT + "\nIngen har svarat än."
    await next_step(running_bot)
    dan = await alert_for(people, DAN)
    assert dan.text == ALERT + (
        "\n⚠️ Ingen i tjänst har tagit det här. Du får det för att du är ansvarig. "
        "Se till att någon hör av sig."
    )
    assert dan.buttons() == [ON_IT]

    (request,) = await requests(running_bot)
    assert request.ended_with == "admin_told" and request.exhausted_at is not None
    assert request.next_step_at is None and request.acknowledged_at is None
    # Eva, the other admin, is not woken: the group has a responsible admin.
    assert await people.bot_messages(EVA) == []
    # Kim heard nothing more after the answer to his check-in: no 112, no "Jag når ingen".
    at(running_bot, 9, 0)
    assert [m.text for m in await people.bot_messages(KIM) if m.message_id not in kims] == []

    # Dan can still take it; Kim then hears who is coming (a kind message, not an alarm).
    await people.press(DAN, dan.message_id, text=ON_IT)
    coming = await people.wait_for(KIM, lambda m: m.message_id not in kims)
    assert coming.text == "Dan har sett det och hör av sig."


async def test_without_a_responsible_admin_every_admin_is_told(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    route = await a_route(running_bot, people, responsible=None, shifts={"Bo": (), "Cia": ()})
    await answers_red(people, running_bot)
    await alert_for(people, ANNA)
    await next_step(running_bot)  # Bo and Cia are not on duty: the admins are next
    for user in (DAN, EVA):
        told = await alert_for(people, user)
        assert told.text.endswith("Se till att någon hör av sig.")
    (request,) = await requests(running_bot)
    assert request.ended_with == "admin_told"
    assert request.notified_ids == [route.ids[name] for name in ("Anna", "Dan", "Eva")]


async def test_when_no_admin_can_be_told_it_is_recorded_not_sent_to_the_coworker(
    running_bot: RunningBot, people: SandboxClient, caplog: pytest.LogCaptureFixture
) -> None:
    await a_route(running_bot, people, admins=(), responsible=None, shifts={"Bo": (), "Cia": ()})
    caplog.set_level(logging.INFO)
    await answers_red(people, running_bot)
    kims = await seen(people, KIM)
    await alert_for(people, ANNA)
    await next_step(running_bot)
    async with asyncio.timeout(10):  # the escalation job's next tick
        while True:
            (request,) = await requests(running_bot)
            if request.ended_with is not None:
                break
            await asyncio.sleep(0.05)
    assert request.ended_with == "nobody" and request.exhausted_at is not None
    at(running_bot, 9, 0)
    assert [m.text for m in await people.bot_messages(KIM) if m.message_id not in kims] == []
    logged = [r.getMessage() for r in caplog.records if "no admin can be told" in r.getMessage()]
    assert logged == [f"red check-in {request.id}: nobody took it and no admin can be told"]
    assert not any("Kim" in r.getMessage() for r in caplog.records)
