"""Staff look after their groups in chat: add a support person, move a co-worker in."""

from __future__ import annotations

from sqlalchemy import select

from bot.sandbox.client import SandboxClient
from bot.services.people import organisation
from storage.models import AuditEntry, Person, Role
from tests.e2e.conftest import RunningBot
from tests.e2e.test_invite_in_chat import say
from tests.e2e.test_joining import invite, join

ANNA = 2001
NOT_HERE = "Det valet finns inte här."


async def test_add_staff_and_move_a_coworker(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    services = running_bot.services
    anna = await invite(services, Role.SUPPORT, "Anna", group="Rutt 1")
    await join(people, ANNA, "Anna", anna.code)
    await invite(services, Role.SUPPORT, "Johan", group=None)
    kim = await invite(services, Role.COWORKER, "Kim", group="Rutt 2")
    await invite(services, Role.COWORKER, "Sara", group="Rutt 3")
    async with services.sessions.begin() as session:
        await organisation.add_staff(services, session, "Rutt 2", "Anna")

    assert await say(people, ANNA, "/group") == "Vilken grupp?"
    menu = (await people.bot_messages(ANNA))[-1]
    assert menu.buttons() == ["Rutt 1", "Rutt 2"]
    await people.press(ANNA, menu.message_id, text="Rutt 1")
    shown = await people.wait_for(ANNA, lambda m: m.text.startswith("Rutt 1\n"))
    assert shown.text == "Rutt 1\nPersonal: Anna\nMedarbetare: ingen"
    assert shown.buttons() == ["Lägg till personal", "Flytta hit en medarbetare"]

    await people.press(ANNA, menu.message_id, text="Lägg till personal")
    await people.wait_for(ANNA, lambda m: m.text == "Vem ska arbeta i gruppen?")
    await people.press(ANNA, menu.message_id, text="Johan")
    await people.wait_for(ANNA, lambda m: m.text.startswith("Rutt 1\nPersonal: Anna, Johan"))

    await people.press(ANNA, menu.message_id, text="Flytta hit en medarbetare")
    moving = await people.wait_for(ANNA, lambda m: m.text == "Vem ska flytta hit?")
    assert moving.buttons() == ["Kim"]  # Sara's group is not Anna's
    async with services.sessions() as session:
        sara = (await session.scalars(select(Person).where(Person.display_name == "Sara"))).one()
    forged = await people.press(ANNA, menu.message_id, data=f"e:{sara.id}")
    assert (await people.wait_for_answer(forged))["text"] == NOT_HERE
    await people.press(ANNA, menu.message_id, text="Kim")
    await people.wait_for(ANNA, lambda m: m.text.endswith("Medarbetare: Kim"))

    async with services.sessions() as session:
        moved = await session.get(Person, kim.person.id)
        sara_now = await session.get(Person, sara.id)
        actions = [
            (a.action, a.actor_id)
            for a in await session.scalars(select(AuditEntry).order_by(AuditEntry.id))
            if a.action.startswith("group.")
        ]
    assert moved is not None and sara_now is not None
    assert moved.group_id == anna.person.group_id and sara_now.group_id != moved.group_id
    assert ("group.add_staff", anna.person.id) in actions
    assert ("group.move", anna.person.id) in actions
