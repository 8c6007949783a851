"""A new co-worker is not forgotten: staff choose the contact persons in the invite
conversation (or the invite says they are missing); when the co-worker joins they learn
who their people are and the staff are told; the promised first list comes, or the
co-worker is told it is not ready and the staff member responsible is asked to plan."""

from __future__ import annotations

import re
from datetime import time

from sqlalchemy import select

from bot.context import Services
from bot.rules.localtime import local_moment
from bot.sandbox.client import SandboxClient, SandboxMessage
from bot.services.planning import plans as planning
from bot.services.safety_net import first_list
from storage.models import ContactPersons, Person, Promise, Role, TaskTemplate
from storage.repos import people as people_repo
from tests.e2e.conftest import RunningBot
from tests.e2e.helpers import new_bot_message, seen
from tests.e2e.test_joining import invite, join

ANNA, BO, KIM = 2001, 2002, 1001


async def staff_of_rutt_1(services: Services, people: SandboxClient) -> None:
    anna = await invite(services, Role.SUPPORT, "Anna", group="Rutt 1")
    await join(people, ANNA, "Anna", anna.code)
    bo = await invite(services, Role.SUPPORT, "Bo", group="Rutt 1")
    await join(people, BO, "Bo", bo.code)


async def invite_kim(people: SandboxClient, *, choose: list[str]) -> SandboxMessage:
    """Anna invites Kim into Rutt 1 in chat and presses ``choose`` at the contact step."""
    known = await seen(people, ANNA)
    await people.send_text(ANNA, "/invite")
    await new_bot_message(people, ANNA, known, "Vad heter personen")
    known = await seen(people, ANNA)
    await people.send_text(ANNA, "Kim")
    groups = await new_bot_message(people, ANNA, known, "Vilken grupp")
    known = await seen(people, ANNA)
    await people.press(ANNA, groups.message_id, text="Rutt 1")
    question = await new_bot_message(people, ANNA, known, "Vem ska vara första kontaktperson?")
    assert question.buttons() == ["Anna", "Bo", "Välj senare"]
    for number, label in enumerate(choose):
        known = await seen(people, ANNA)
        await people.press(ANNA, question.message_id, text=label)
        if number == 0 and label != "Välj senare":
            second = await people.wait_for(
                ANNA, lambda m: m.message_id == question.message_id and m.edited > 0
            )
            assert (
                second.text
                == f"{label} blir första kontaktperson. Vem ska vara andra kontaktperson?"
            )
            assert second.buttons() == [b for b in ("Anna", "Bo") if b != label] + ["Välj senare"]
    return await new_bot_message(people, ANNA, known, "Inbjudan till Kim")


def code_in(ready: SandboxMessage) -> str:
    link = re.search(r"https://t\.me/VardagTestBot\?start=([A-Za-z0-9_-]{22})", ready.text)
    assert link is not None, ready.text
    return link.group(1)


async def test_contact_persons_are_chosen_in_the_invite_and_everyone_is_told(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    services = running_bot.services
    await staff_of_rutt_1(services, people)
    ready = await invite_kim(people, choose=["Anna", "Bo"])
    assert ready.text.endswith("Kontaktpersoner: Anna och Bo.")
    async with services.sessions() as session:
        kim = await session.scalar(select(Person).where(Person.display_name == "Kim"))
        assert kim is not None
        contacts = await session.get(ContactPersons, kim.id)
        anna = await people_repo.by_telegram_id(session, ANNA)
        bo = await people_repo.by_telegram_id(session, BO)
    assert contacts is not None and anna is not None and bo is not None
    assert (contacts.primary_id, contacts.secondary_id) == (anna.id, bo.id)

    await join(people, KIM, "Kim", code_in(ready))
    welcome = (await people.bot_messages(KIM))[0]
    assert welcome.text.endswith("Dina kontaktpersoner är Anna och Bo.\nIngen är i tjänst just nu.")
    for staff in (ANNA, BO):
        told = await people.wait_for(staff, lambda m: m.text.startswith("Kim har gått med"))
        assert told.text == (
            "Kim har gått med i Vardag.\n"
            "Första listan ska komma tisdag 24 november klockan 08:00.\n"
            "Det finns ingen plan för Kim än. Gör en med /plan."
        )

    await people.send_text(KIM, "/people")  # and on request, any time
    await people.wait_for(
        KIM,
        lambda m: m.text == "Dina kontaktpersoner är Anna och Bo.\nIngen är i tjänst just nu.",
    )


async def test_contact_persons_left_for_later_are_named_as_missing(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    services = running_bot.services
    await staff_of_rutt_1(services, people)
    ready = await invite_kim(people, choose=["Välj senare"])
    assert ready.text.endswith("Kim har inga kontaktpersoner än. Välj dem med /contacts.")

    await join(people, KIM, "Kim", code_in(ready))
    welcome = (await people.bot_messages(KIM))[0]
    assert "Du har inga kontaktpersoner än. Din stödperson väljer dem snart." in welcome.text
    # No contact persons, nobody on duty: the one responsible now (the group's first).
    told = await people.wait_for(ANNA, lambda m: m.text.startswith("Kim har gått med"))
    assert "Kim har inga kontaktpersoner än. Välj dem med /contacts." in told.text
    known = await seen(people, ANNA)
    await people.send_text(ANNA, "/team")
    team = await new_bot_message(people, ANNA, known, "Idag")
    assert "⚪ Kim · ingen lista idag · inga kontaktpersoner" in team.text.splitlines()


async def kim_joined(running_bot: RunningBot, people: SandboxClient) -> int:
    """Kim joins with Anna and Bo as contact persons and is promised the list at 08:00."""
    services = running_bot.services
    await staff_of_rutt_1(services, people)
    ready = await invite_kim(people, choose=["Anna", "Bo"])
    language = await join(people, KIM, "Kim", code_in(ready))
    await people.press(KIM, language.message_id, text="Svenska")
    morning = await people.wait_for(KIM, lambda m: m.text.startswith("När vill du få din lista"))
    await people.press(KIM, morning.message_id, text="08:00")
    await people.wait_for(
        KIM, lambda m: m.text == "Bra! Din lista kommer klockan 08:00 på morgonen."
    )
    async with services.sessions() as session:
        kim = await people_repo.by_telegram_id(session, KIM)
    assert kim is not None
    return kim.id


async def first_list_promise(services: Services, kim_id: int) -> Promise:
    async with services.sessions() as session:
        found = await session.scalar(
            select(Promise).where(Promise.subject == f"{first_list.FIRST_LIST}:{kim_id}")
        )
    assert found is not None
    return found


async def test_no_first_list_the_coworker_and_staff_are_told(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    services = running_bot.services
    kim_id = await kim_joined(running_bot, people)
    running_bot.clock.set(local_moment(services.today(), time(8, 0, 1), services.zone))
    await people.wait_for(
        KIM,
        lambda m: (
            m.text == "God morgon Kim! Din första lista är inte klar än. "
            "Anna vet om det och hör av sig till dig."
        ),
    )
    await people.wait_for(
        ANNA,
        lambda m: (
            m.text == "Kim är ny i Vardag och har ingen lista idag. "
            "Kim har fått veta att listan inte är klar än. Gör en plan med /plan."
        ),
    )
    promise = await first_list_promise(services, kim_id)
    assert promise.closed_at is not None and promise.kept_at is None
    assert promise.outcome is not None and promise.outcome.startswith("no_list coworker staff:")


async def test_the_first_list_comes_and_the_promise_is_kept(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    services = running_bot.services
    kim_id = await kim_joined(running_bot, people)
    async with services.sessions.begin() as session:
        template = TaskTemplate(title="Vattna blommorna", created_at=services.now())
        session.add(template)
        await session.flush()
        kim = await session.get_one(Person, kim_id)
        await planning.add_task(
            services, session, coworker=kim, template=template, day=services.today()
        )
    running_bot.clock.set(local_moment(services.today(), time(8, 0, 1), services.zone))
    await people.wait_for(KIM, lambda m: m.text.startswith("God morgon Kim! Idag"))
    promise = await first_list_promise(services, kim_id)  # kept as the list was queued
    assert promise.kept_at is not None and promise.outcome == "kept"
    assert "inte klar" not in " ".join(m.text for m in await people.bot_messages(KIM))


async def test_the_evening_review_asks_to_plan_for_the_new_coworker(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    services = running_bot.services
    running_bot.clock.set(local_moment(services.today(), time(9, 0), services.zone))
    await kim_joined(running_bot, people)  # after the morning: the first day is tomorrow
    running_bot.clock.set(local_moment(services.today(), time(18, 0, 1), services.zone))
    await people.wait_for(
        ANNA,
        lambda m: (
            m.text == "Kim är ny i Vardag och har ingen lista för "
            "onsdag 25 november än. Gör en plan med /plan."
        ),
    )


async def test_joining_without_choosing_a_time_promises_no_list(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    services = running_bot.services
    await staff_of_rutt_1(services, people)
    ready = await invite_kim(people, choose=["Anna", "Bo"])
    await join(people, KIM, "Kim", code_in(ready))
    async with services.sessions() as session:
        assert list(await session.scalars(select(Promise))) == []
