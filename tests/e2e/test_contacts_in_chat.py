"""Staff set a co-worker's two contact persons in chat, only within their own groups."""

from __future__ import annotations

from sqlalchemy import select

from bot.sandbox.client import SandboxClient
from storage.models import AuditEntry, ContactPersons, Role
from tests.e2e.conftest import RunningBot
from tests.e2e.test_invite_in_chat import say
from tests.e2e.test_joining import invite, join

ANNA, KIM = 2001, 1001
NOT_HERE = "Det valet finns inte här."


async def test_set_contact_persons_with_buttons(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    services = running_bot.services
    anna = await invite(services, Role.SUPPORT, "Anna", group="Rutt 1")
    await join(people, ANNA, "Anna", anna.code)
    johan = await invite(services, Role.SUPPORT, "Johan", group="Rutt 1")
    lo = await invite(services, Role.SUPPORT, "Lo", group="Rutt 2")
    kim = await invite(services, Role.COWORKER, "Kim", group="Rutt 1")
    sara = await invite(services, Role.COWORKER, "Sara", group="Rutt 2")

    assert await say(people, ANNA, "/contacts") == "Vems kontaktpersoner vill du ändra?"
    menu = (await people.bot_messages(ANNA))[-1]
    assert menu.buttons() == ["Kim"]
    foreign = await people.press(ANNA, menu.message_id, data=f"c:{sara.person.id}")
    assert (await people.wait_for_answer(foreign))["text"] == NOT_HERE

    await people.press(ANNA, menu.message_id, text="Kim")
    first = await people.wait_for(
        ANNA, lambda m: m.message_id == menu.message_id and m.text.startswith("Kim har inga")
    )
    assert first.text == "Kim har inga kontaktpersoner än.\n\nVem ska vara första kontaktperson?"
    assert first.buttons() == ["Anna", "Johan"]
    outsider = await people.press(ANNA, menu.message_id, data=f"p:{lo.person.id}")
    assert (await people.wait_for_answer(outsider))["text"] == NOT_HERE
    assert (await say(people, ANNA, "Johan")).startswith("Tryck på en av knapparna")

    await people.press(ANNA, menu.message_id, text="Johan")
    second = await people.wait_for(ANNA, lambda m: m.text.startswith("Johan blir första"))
    assert second.buttons() == ["Anna"]
    await people.press(ANNA, menu.message_id, text="Anna")
    await people.wait_for(
        ANNA, lambda m: m.text == "Kim: kontaktperson Johan, andra kontaktperson Anna."
    )

    async with services.sessions() as session:
        stored = await session.get(ContactPersons, kim.person.id)
        audits = list(await session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    assert stored is not None
    assert (stored.primary_id, stored.secondary_id) == (johan.person.id, anna.person.id)
    staff_acts = [
        (a.action, a.actor_id, a.subject_id) for a in audits if a.action != "invite.create"
    ]
    assert staff_acts == [
        ("contacts.view", anna.person.id, kim.person.id),
        ("contacts.set", anna.person.id, kim.person.id),
    ]
