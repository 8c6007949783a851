"""The relay: what a co-worker sends (any kind) reaches the contact person on duty after a
header line, with a receipt naming who got it; staff answer by replying, and the answer
comes back labelled with who wrote it. Nobody on duty: it waits for the first who is."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import time, timedelta

from sqlalchemy import select

from bot.rules.localtime import local_moment
from bot.sandbox.client import SandboxClient, SandboxMessage
from bot.sandbox.server import SandboxServer
from bot.services.people import contacts, rota
from storage.models import Direction, Group, Message, Role
from tests.e2e.conftest import RunningBot
from tests.e2e.helpers import new_bot_message, seen, sent_and_recorded
from tests.e2e.test_joining import invite, join

ANNA, BO, EVA, KIM = 2001, 2002, 2003, 1001
WEEKDAYS_7_TO_16 = [(day, time(7, 0), time(16, 0)) for day in range(5)]


async def a_group(bot: RunningBot, people: SandboxClient) -> None:
    """Anna (primary) and Bo (secondary) are Kim's contact persons, both on duty on
    weekdays 07–16; the group's phone is 08-123 45 67."""
    services = bot.services
    for role, name, user in (
        (Role.SUPPORT, "Anna", ANNA),
        (Role.SUPPORT, "Bo", BO),
        (Role.COWORKER, "Kim", KIM),
    ):
        made = await invite(services, role, name)
        await join(people, user, name, made.code)
    # Anna, the group's first support person, is told that Kim joined (before he has
    # contact persons); the tests below look at what comes after.
    await people.wait_for(ANNA, lambda m: m.text.startswith("Kim har gått med i Vardag."))
    async with services.sessions.begin() as session:
        group = await session.scalar(select(Group))
        assert group is not None
        group.phone = "08-123 45 67"
        await contacts.set_contacts(services, session, "Kim", "Anna", "Bo")
        for staff in ("Anna", "Bo"):
            await rota.set_shifts(services, session, staff, WEEKDAYS_7_TO_16)


def at(bot: RunningBot, hour: int, minute: int = 0) -> None:
    services = bot.services
    bot.clock.set(local_moment(services.today(), time(hour, minute), services.zone))


async def kim_says(people: SandboxClient, send: Awaitable[int]) -> str:
    """Kim sends something (``send`` is a coroutine sending it); the receipt he gets."""
    known = await seen(people, KIM)
    await send
    return (await new_bot_message(people, KIM, known)).text


def header_only(m: SandboxMessage) -> bool:
    """A header line on its own (before the copy of a sticker, a place …)."""
    lines = m.text.splitlines()
    return m.kind == "text" and len(lines) == 2 and lines[0].startswith("✉️")


async def relayed(people: SandboxClient, user: int, known: set[int]) -> list[SandboxMessage]:
    """What a member of staff got of a co-worker's message, once it has all arrived: one
    message (a text with the header in it, media with the header in the caption), or a
    header and then the copy."""
    await people.wait_for(
        user, lambda m: m.from_bot and m.message_id not in known and not header_only(m)
    )
    return [m for m in await people.bot_messages(user) if m.message_id not in known]


async def test_every_kind_goes_both_ways(running_bot: RunningBot, people: SandboxClient) -> None:
    await a_group(running_bot, people)
    at(running_bot, 9)
    annas = await seen(people, ANNA)
    receipt = await kim_says(people, people.send_text(KIM, "Jag är klar med disken"))
    assert receipt == "Skickat till Anna."
    (header,) = await relayed(people, ANNA, annas)  # one message: who, and what he wrote
    assert header.text == (
        "✉️ Från Kim (Rutt 1).\nJag är klar med disken\nSvara på meddelandet, så får Kim svaret."
    )

    captioned = {
        "voice": people.send_voice(KIM),
        "photo": people.send_photo(KIM, caption="Så här ser det ut"),
        "video": people.send_video(KIM),
        "document": people.send_document(KIM, "schema.pdf", "application/pdf"),
    }
    for kind, send in captioned.items():
        annas = await seen(people, ANNA)
        assert await kim_says(people, send) == "Skickat till Anna.", kind
        (copy,) = await relayed(people, ANNA, annas)
        assert copy.kind == kind and (copy.caption or "").startswith("✉️ Från Kim (Rutt 1)."), kind
    for kind, send in (
        ("location", people.send_location(KIM, 59.33, 18.06)),
        ("sticker", people.send_sticker(KIM)),
    ):
        annas = await seen(people, ANNA)
        assert await kim_says(people, send) == "Skickat till Anna.", kind
        before, copy = await relayed(people, ANNA, annas)
        assert before.text.startswith("✉️ Från Kim (Rutt 1).") and copy.kind == kind

    kims = await seen(people, KIM)
    await sent_and_recorded(running_bot.services, ANNA, header.message_id)
    await people.send_text(ANNA, "Bra jobbat, Kim!", reply_to=header.message_id)
    await people.wait_for(ANNA, lambda m: m.from_bot and m.text == "Skickat till Kim.")
    await people.wait_for(KIM, lambda m: m.text == "Bra jobbat, Kim!")
    to_kim = [m for m in await people.bot_messages(KIM) if m.message_id not in kims]
    assert [m.text for m in to_kim] == ["💬 Anna (stödperson) skriver:", "Bra jobbat, Kim!"]

    kims = await seen(people, KIM)
    await sent_and_recorded(running_bot.services, ANNA, copy.message_id)
    await people.send_voice(ANNA, reply_to=copy.message_id)
    voice = await people.wait_for(KIM, lambda m: m.kind == "voice" and m.message_id not in kims)
    assert voice.from_bot

    async with running_bot.services.sessions() as session:
        kept = list(await session.scalars(select(Message).order_by(Message.id)))
    assert [m.direction for m in kept] == [Direction.FROM_COWORKER] * 7 + [
        Direction.TO_COWORKER
    ] * 2
    assert all(m.relayed_at is not None for m in kept[:7])
    assert kept[0].body == "Jag är klar med disken" and kept[7].body == "Bra jobbat, Kim!"


async def test_nobody_on_duty_the_message_waits(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    await a_group(running_bot, people)
    at(running_bot, 6)
    annas = await seen(people, ANNA)
    receipt = await kim_says(people, people.send_text(KIM, "Kan någon ringa mig?"))
    assert receipt.splitlines() == [
        "Ingen är i tjänst just nu. Anna får ditt meddelande idag klockan 07:00.",
        "Är det bråttom? Ring 08-123 45 67.",
    ]
    assert await seen(people, ANNA) == annas
    at(running_bot, 7, 1)
    (copy,) = await relayed(people, ANNA, annas)
    assert copy.text.startswith("✉️ Från Kim") and "\nKan någon ringa mig?\n" in copy.text


async def test_the_thread_stays_with_who_answered(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    await a_group(running_bot, people)
    services = running_bot.services
    at(running_bot, 9)
    async with services.sessions.begin() as session:
        await rota.add_absence(services, session, "Anna", None, services.now() + timedelta(hours=1))
    bos = await seen(people, BO)
    assert await kim_says(people, people.send_text(KIM, "Hej!")) == "Skickat till Bo."
    (header,) = await relayed(people, BO, bos)
    await sent_and_recorded(services, BO, header.message_id)
    await people.send_text(BO, "Hej Kim, jag kommer.", reply_to=header.message_id)
    await people.wait_for(KIM, lambda m: m.text == "Hej Kim, jag kommer.")

    at(running_bot, 11)  # Anna is back, but Bo answered: the thread is his
    assert await kim_says(people, people.send_text(KIM, "Tack!")) == "Skickat till Bo."


async def test_staff_writing_without_replying_are_told_how(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    await a_group(running_bot, people)
    at(running_bot, 9)
    known = await seen(people, ANNA)
    await people.send_text(ANNA, "Hej Kim")
    hint = await new_bot_message(people, ANNA, known)
    assert hint.text == (
        "Vill du svara en medarbetare? Svara på deras meddelande här (håll in det och välj Svara)."
    )
    known = await seen(people, ANNA)
    await people.send_text(ANNA, "Och nu?", reply_to=hint.message_id)
    assert (await new_bot_message(people, ANNA, known)).text == hint.text
    async with running_bot.services.sessions() as session:
        assert list(await session.scalars(select(Message))) == []


async def test_staff_write_first_to_one_or_to_the_group(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    await a_group(running_bot, people)
    services = running_bot.services
    sara = await invite(services, Role.COWORKER, "Sara", group="Rutt 2")
    at(running_bot, 9)

    known = await seen(people, ANNA)
    await people.send_text(ANNA, "/send")
    who = await new_bot_message(people, ANNA, known)
    assert (who.text, who.buttons()) == ("Vem vill du skriva till?", ["Kim"])
    forged = await people.press(ANNA, who.message_id, data=f"B:{sara.person.id}")
    assert (await people.wait_for_answer(forged))["text"] == "Dit kan du inte skriva härifrån."
    await people.press(ANNA, who.message_id, text="Kim")
    await people.wait_for(ANNA, lambda m: m.text.startswith("Skriv ditt meddelande till Kim."))
    kims = await seen(people, KIM)
    await people.send_photo(ANNA, caption="Så här ska hyllan se ut")
    await people.wait_for(ANNA, lambda m: m.from_bot and m.text == "Skickat till Kim.")
    photo = await people.wait_for(KIM, lambda m: m.kind == "photo" and m.message_id not in kims)
    assert photo.caption == "Så här ska hyllan se ut"
    to_kim = [m for m in await people.bot_messages(KIM) if m.message_id not in kims]
    assert to_kim[0].text == "💬 Anna (stödperson) skriver:"

    known, kims = await seen(people, ANNA), await seen(people, KIM)
    await people.send_text(ANNA, "/broadcast")
    asked = await new_bot_message(people, ANNA, known)
    assert asked.text.startswith("Skriv ditt meddelande till alla i Rutt 1.")
    known = await seen(people, ANNA)
    await people.send_text(ANNA, "Fika klockan tre!")
    done = await new_bot_message(people, ANNA, known, "Skickat till")
    assert done.text == "Skickat till 1 medarbetare i Rutt 1."
    await people.wait_for(KIM, lambda m: m.text == "Fika klockan tre!")
    to_kim = [m.text for m in await people.bot_messages(KIM) if m.message_id not in kims]
    assert to_kim == ["💬 Anna (stödperson) skriver till alla i Rutt 1:", "Fika klockan tre!"]

    async with services.sessions() as session:
        sent = list(await session.scalars(select(Message).order_by(Message.id)))
    assert [(m.direction, m.kind, m.body) for m in sent] == [
        (Direction.TO_COWORKER, "photo", "Så här ska hyllan se ut"),
        (Direction.TO_COWORKER, "text", "Fika klockan tre!"),
    ]


async def test_a_refused_button_leaves_the_message_being_written_as_it_was(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    """An admin chooses among groups; a forged "write to" press is refused and must not
    turn the group message into one to nobody."""
    await a_group(running_bot, people)
    services = running_bot.services
    await invite(services, Role.COWORKER, "Sara", group="Rutt 2")  # a second group
    eva = await invite(services, Role.ADMIN, "Eva", group=None)
    await join(people, EVA, "Eva", eva.code)
    at(running_bot, 9)

    known = await seen(people, EVA)
    await people.send_text(EVA, "/broadcast")
    which = await new_bot_message(people, EVA, known)
    assert which.buttons() == ["Rutt 1", "Rutt 2"]
    forged = await people.press(EVA, which.message_id, data="B:999999")
    assert (await people.wait_for_answer(forged))["text"] == "Dit kan du inte skriva härifrån."
    await people.press(EVA, which.message_id, text="Rutt 1")
    await people.wait_for(EVA, lambda m: m.text.startswith("Skriv ditt meddelande till alla"))
    known = await seen(people, EVA)
    await people.send_text(EVA, "Vi ses i morgon.")
    done = await new_bot_message(people, EVA, known)
    assert done.text == "Skickat till 1 medarbetare i Rutt 1."
    await people.wait_for(KIM, lambda m: m.text == "Vi ses i morgon.")


async def test_a_kind_of_message_that_cannot_be_kept_is_answered(
    running_bot: RunningBot, people: SandboxClient, sandbox: SandboxServer
) -> None:
    await a_group(running_bot, people)
    at(running_bot, 9)
    known = await seen(people, KIM)
    sandbox.state.post_user_message(KIM, kind="dice")  # a die, a poll, a contact card …
    reply = await new_bot_message(people, KIM, known)
    assert reply.text == "Den sortens meddelande kan jag inte ta emot. Skriv gärna med text."
    async with running_bot.services.sessions() as session:
        assert list(await session.scalars(select(Message))) == []
