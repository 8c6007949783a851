"""Quiet hours in /settings: the last question, one tap; a wrong press changes nothing."""

from __future__ import annotations

from datetime import time

from sqlalchemy import select

from bot.context import Services
from bot.sandbox.client import SandboxClient
from bot.telegram.callbacks import Action, Callback
from storage.models import AuditEntry, Person, Role
from tests.e2e.conftest import RunningBot
from tests.e2e.helpers import new_bot_message, seen
from tests.e2e.test_outlook import choose_preview, person

KIM, SARA, ANNA = 1001, 1002, 2001
QUESTION = "När vill du ha lugnt på kvällen? Då får du inga påminnelser till kl 07:00."


async def quiet_hours(services: Services, person_id: int) -> tuple[time, time]:
    async with services.sessions() as session:
        found = await session.get(Person, person_id)
        assert found is not None
        return found.quiet_start, found.quiet_end


async def test_a_coworker_chooses_a_quiet_evening(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    services = running_bot.services
    kim = await person(services, people, KIM, "Kim")
    known = await seen(people, KIM)
    await choose_preview(people, KIM, "Nej tack")
    question = await new_bot_message(people, KIM, known, "När vill du ha lugnt")
    assert question.text == f"{QUESTION}\nJust nu: lugnt från kl 20:00 till kl 07:00."
    assert question.buttons() == ["18:00", "19:00", "20:00", "21:00", "22:00"]

    await people.press(KIM, question.message_id, text="21:00")
    answered = await people.wait_for(
        KIM, lambda m: m.message_id == question.message_id and m.edited > 0
    )
    assert answered.text == "Okej! Från kl 21:00 till kl 07:00 får du inga påminnelser."
    assert answered.buttons() == []
    assert await quiet_hours(services, kim.id) == (time(21, 0), time(7, 0))
    async with services.sessions() as session:
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "person.quiet"))
    assert entry is not None and (entry.actor_id, entry.detail) == (kim.id, "21:00-07:00")


async def test_forged_and_foreign_quiet_presses_change_nothing(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    services = running_bot.services
    sara = await person(services, people, SARA, "Sara")
    anna = await person(services, people, ANNA, "Anna", Role.SUPPORT)
    # Not one of the offered times, or (for staff) no quiet hours to choose at all.
    forged = [(SARA, 20 * 60 + 30), (SARA, 3 * 60), (SARA, 99_999), (ANNA, 21 * 60)]
    for user, minutes in forged:
        [message, *_] = await people.bot_messages(user)
        pressed = await people.press(
            user, message.message_id, data=Callback(Action.QUIET, minutes).encode()
        )
        answer = await people.wait_for_answer(pressed)
        assert answer["text"] == "Den knappen fungerar inte längre.", (user, minutes)
    for found in (sara, anna):
        assert await quiet_hours(services, found.id) == (time(20, 0), time(7, 0))


async def test_a_promised_preview_lost_to_quiet_hours_is_said_at_once(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    services = running_bot.services
    await person(services, people, KIM, "Kim")
    known = await seen(people, KIM)
    promised = await choose_preview(people, KIM, "Ja, gärna")
    assert promised.text == "Bra! Du får morgondagens lista klockan 19:00 på kvällen."
    question = await new_bot_message(people, KIM, known, "När vill du ha lugnt")
    await people.press(KIM, question.message_id, text="18:00")
    answered = await people.wait_for(
        KIM, lambda m: m.message_id == question.message_id and m.edited > 0
    )
    assert answered.text == (
        "Okej! Från kl 18:00 till kl 07:00 får du inga påminnelser.\n\n"
        "Kvällens lista kommer klockan 19:00, och då har du lugnt. Därför får du ingen "
        "lista på kvällen. Din lista kommer som vanligt på morgonen."
    )


async def test_quiet_hours_after_the_preview_say_nothing_more(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    services = running_bot.services
    await person(services, people, KIM, "Kim")
    known = await seen(people, KIM)
    await choose_preview(people, KIM, "Ja, gärna")
    question = await new_bot_message(people, KIM, known, "När vill du ha lugnt")
    await people.press(KIM, question.message_id, text="20:00")
    answered = await people.wait_for(
        KIM, lambda m: m.message_id == question.message_id and m.edited > 0
    )
    assert answered.text == "Okej! Från kl 20:00 till kl 07:00 får du inga påminnelser."
