"""Staff invite people in chat: role (admins), name, group; the link works once."""

from __future__ import annotations

import re

from sqlalchemy import select

from bot.context import Services
from bot.sandbox.client import SandboxClient
from storage.models import AuditEntry, Group, Person, Role
from storage.repos import people as people_repo
from storage.repos.organisation import group_named
from tests.e2e.conftest import RunningBot
from tests.e2e.helpers import new_bot_message, seen
from tests.e2e.test_joining import invite, join

BOSS, ANNA, KIM, SARA = 3001, 2001, 1001, 1002


async def joined_staff(services: Services, people: SandboxClient) -> None:
    boss = await invite(services, Role.ADMIN, "Bo", group=None)
    await join(people, BOSS, "Bo", boss.code)
    anna = await invite(services, Role.SUPPORT, "Anna", group="Rutt 1")
    await join(people, ANNA, "Anna", anna.code)
    async with services.sessions.begin() as session:
        await people_repo.get_or_create_group(session, "Rutt 2", services.now())


async def say(people: SandboxClient, user: int, text: str, starts_with: str = "") -> str:
    known = await seen(people, user)
    await people.send_text(user, text)
    return (await new_bot_message(people, user, known, starts_with)).text


async def test_admin_invites_a_coworker_who_then_joins(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    services = running_bot.services
    await joined_staff(services, people)
    await say(people, BOSS, "/invite", "Vem vill du bjuda in?")
    roles = (await people.bot_messages(BOSS))[-1]
    assert roles.buttons() == ["medarbetare", "stödperson", "administratör"]
    await people.press(BOSS, roles.message_id, text="medarbetare")
    await people.wait_for(BOSS, lambda m: m.text.startswith("Vad heter personen (medarbetare)?"))
    await say(people, BOSS, "  Kim   Karlsson ", "Vilken grupp")
    groups = (await people.bot_messages(BOSS))[-1]
    assert groups.buttons() == ["Rutt 1", "Rutt 2"]
    known = await seen(people, BOSS)
    await people.press(BOSS, groups.message_id, text="Rutt 2")
    ready = await new_bot_message(people, BOSS, known, "Inbjudan till Kim Karlsson")
    link = re.search(r"https://t\.me/VardagTestBot\?start=([A-Za-z0-9_-]{22})", ready.text)
    assert link is not None, ready.text

    question = await join(people, KIM, "Kim", link.group(1))
    assert question.buttons() == ["Svenska", "English"]
    async with services.sessions() as session:
        kim = await people_repo.by_telegram_id(session, KIM)
        assert kim is not None and kim.display_name == "Kim Karlsson"
        group = await session.get(Group, kim.group_id)
        audit = list(await session.scalars(select(AuditEntry)))
    assert group is not None and group.name == "Rutt 2"
    boss = [e for e in audit if e.subject_id == kim.id]
    assert [(e.action, e.detail) for e in boss] == [("invite.create", "coworker")]


async def test_support_person_invites_only_coworkers_into_own_groups(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    services = running_bot.services
    await joined_staff(services, people)
    assert (await say(people, ANNA, "/invite")).startswith("Vad heter personen (medarbetare)?")
    await say(people, ANNA, "Sara", "Vilken grupp")
    groups = (await people.bot_messages(ANNA))[-1]
    assert groups.buttons() == ["Rutt 1"]
    async with services.sessions() as session:
        other = await group_named(session, "Rutt 2")
    assert other is not None
    forged = await people.press(ANNA, groups.message_id, data=f"g:{other.id}")
    answer = await people.wait_for_answer(forged)
    assert answer["text"] == "Den gruppen kan du inte bjuda in till."
    assert (await say(people, ANNA, "hej")).startswith("Tryck på en av knapparna")
    assert (await say(people, ANNA, "/cancel")) == "Avbrutet. Inget ändrades."
    async with services.sessions() as session:
        saras = list(await session.scalars(select(Person).where(Person.display_name == "Sara")))
    assert saras == []


async def test_a_coworker_cannot_invite(running_bot: RunningBot, people: SandboxClient) -> None:
    kim = await invite(running_bot.services, Role.COWORKER, "Kim")
    await join(people, KIM, "Kim", kim.code)
    assert await say(people, KIM, "/invite") == "Det här kan bara personal göra."
