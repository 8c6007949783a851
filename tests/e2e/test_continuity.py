"""``/continuity`` in chat: the figure as text, then per group a PNG chart, and only to
staff of the group."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from bot.sandbox.client import SandboxClient
from bot.sandbox.server import SandboxServer
from storage.models import AuditEntry, Direction, Message, Person, Role
from tests.e2e.conftest import RunningBot
from tests.e2e.helpers import new_bot_message, seen
from tests.e2e.test_joining import invite, join, only_reply
from tests.unit.test_continuity import png_size

ANNA, BO, KIM = 2001, 2002, 1001
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


async def answered(running_bot: RunningBot, coworker: Person, staff: list[Person]) -> None:
    services = running_bot.services
    async with services.sessions.begin() as session:
        for n, person in enumerate(staff):
            session.add(
                Message(
                    coworker_id=coworker.id,
                    staff_id=person.id,
                    direction=Direction.TO_COWORKER,
                    kind="text",
                    body="Hej",
                    source_chat_id=1,
                    source_message_id=n + 1,
                    created_at=services.now() - timedelta(days=n + 1),
                )
            )


async def test_continuity_as_text_and_then_as_a_chart(
    running_bot: RunningBot, people: SandboxClient, sandbox: SandboxServer
) -> None:
    services = running_bot.services
    anna = await invite(services, Role.SUPPORT, "Anna")
    await join(people, ANNA, "Anna", anna.code)
    bo = await invite(services, Role.SUPPORT, "Bo")
    cia = await invite(services, Role.SUPPORT, "Cia")
    kim = await invite(services, Role.COWORKER, "Kim")
    await join(people, KIM, "Kim", kim.code)
    await people.wait_for(ANNA, lambda m: m.text.startswith("Kim har gått med"))  # told
    sara = await invite(services, Role.COWORKER, "Sara")
    await invite(services, Role.COWORKER, "Lo")
    await invite(services, Role.COWORKER, "Ali", group="Rutt 2")  # not Anna's group
    await answered(running_bot, kim.person, [anna.person, bo.person])
    await answered(running_bot, sara.person, [anna.person, bo.person, cia.person])

    known = await seen(people, ANNA)
    await people.send_text(ANNA, "/continuity")
    photo = await people.wait_for(
        ANNA, lambda m: m.from_bot and m.message_id not in known and m.kind == "photo"
    )
    await asyncio.sleep(0.3)  # nothing else follows
    new = [m for m in await people.bot_messages(ANNA) if m.message_id not in known]
    assert [m.kind for m in new] == ["text", "photo"]
    text = new[0]
    assert text.text.splitlines() == [
        "Kontinuitet: olika personal som varje medarbetare mött de senaste 14 dagarna "
        "(mål: högst 2).",
        "",
        "Rutt 1: snitt 1,7, högst 3",
        "⚠️ Sara: 3",
        "✅ Kim: 2",
        "✅ Lo: 0",
    ]
    assert photo.caption == "Kontinuitet i Rutt 1, 11–24 nov. 2026"
    stored = sandbox.state.find_message(ANNA, photo.message_id)
    assert stored is not None
    png = sandbox.state.file_data[stored.files[-1].file_path]  # the uploaded bytes
    assert png.startswith(PNG_SIGNATURE)
    width, height = png_size(png)
    assert width == 800 and 200 < height < 400
    async with services.sessions() as session:
        views = await session.scalar(
            select(AuditEntry.id).where(AuditEntry.action == "continuity.view")
        )
    assert views is not None

    # A co-worker gets the one polite line, and no chart.
    reply = await only_reply(people, KIM, "/continuity")
    assert reply.text == "Det här kan bara personal göra."


async def test_no_chart_without_co_workers(running_bot: RunningBot, people: SandboxClient) -> None:
    services = running_bot.services
    bo = await invite(services, Role.SUPPORT, "Bo", group="Rutt 3")  # a group of staff only
    await join(people, BO, "Bo", bo.code)
    reply = await only_reply(people, BO, "/continuity")
    assert reply.text.splitlines()[-1] == "Rutt 3: inga medarbetare än"

    nobody = await invite(services, Role.SUPPORT, "Anna", group=None)
    await join(people, ANNA, "Anna", nobody.code)
    known = await seen(people, ANNA)
    await people.send_text(ANNA, "/continuity")
    reply = await new_bot_message(people, ANNA, known)
    await asyncio.sleep(0.3)
    assert reply.text.startswith("Du har ingen grupp än.")
    assert [m.kind for m in await people.bot_messages(ANNA) if m.message_id not in known] == [
        "text"
    ]


async def test_a_broadcast_in_chat_is_not_contact(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    """One message to the whole group is not meeting each co-worker (docs/messages.md)."""
    services = running_bot.services
    anna = await invite(services, Role.SUPPORT, "Anna")
    await join(people, ANNA, "Anna", anna.code)
    kim = await invite(services, Role.COWORKER, "Kim")
    await join(people, KIM, "Kim", kim.code)
    await people.wait_for(ANNA, lambda m: m.text.startswith("Kim har gått med"))

    known = await seen(people, ANNA)
    await people.send_text(ANNA, "/broadcast")
    await new_bot_message(people, ANNA, known, "Skriv ditt meddelande till alla i Rutt 1.")
    known = await seen(people, ANNA)
    await people.send_text(ANNA, "Fika klockan tre!")
    done = await new_bot_message(people, ANNA, known, "Skickat till")
    assert done.text == "Skickat till 1 medarbetare i Rutt 1."
    await people.wait_for(KIM, lambda m: m.text == "Fika klockan tre!")

    known = await seen(people, ANNA)
    await people.send_text(ANNA, "/continuity")
    text = await new_bot_message(people, ANNA, known, "Kontinuitet")
    assert text.text.splitlines()[-1] == "✅ Kim: 0"
    async with services.sessions() as session:
        kept = list(await session.scalars(select(Message)))
    assert [(m.staff_id, m.body, m.broadcast) for m in kept] == [
        (anna.person.id, "Fika klockan tre!", True)
    ]
