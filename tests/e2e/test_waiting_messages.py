"""A co-worker's message written when nobody can get it is a row that reaches someone:
when nobody is on duty it waits for the first who comes (and the co-worker is told
when); when that person turns out to be away, or blocked the bot, it goes to the next,
and the co-worker hears who gets it instead; when nobody on the staff can get it at all,
the responsible admin is told (without its content) and it goes out as soon as someone
can. A human message never expires in the outbox."""

from __future__ import annotations

from datetime import time

from sqlalchemy import select

from bot.rules.localtime import local_moment
from bot.sandbox.client import SandboxClient
from bot.services.people import rota
from storage.models import Message, OutboxMessage, OutboxStatus, Person
from tests.e2e.conftest import RunningBot
from tests.e2e.helpers import new_bot_message, seen, sent_and_recorded
from tests.e2e.safety_net import ANNA, BO, DAN, EVA, KIM, a_route, at


async def kim_writes(people: SandboxClient, text: str) -> str:
    known = await seen(people, KIM)
    await people.send_text(KIM, text)
    return (await new_bot_message(people, KIM, known)).text


async def kept(bot: RunningBot) -> Message:
    async with bot.services.sessions() as session:
        (message,) = list(await session.scalars(select(Message)))
    return message


async def test_waiting_for_someone_who_is_then_away_goes_to_the_next(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    services = running_bot.services
    route = await a_route(running_bot, people)
    at(running_bot, 6)
    receipt = await kim_writes(people, "Jag kommer lite sent idag.")
    assert receipt.splitlines()[0] == (
        "Ingen är i tjänst just nu. Anna får ditt meddelande idag klockan 07:00."
    )
    kims = await seen(people, KIM)
    at(running_bot, 6, 30)  # Anna calls in sick before her shift
    async with services.sessions.begin() as session:
        end = local_moment(services.today(), time(23), services.zone)
        await rota.add_absence(services, session, "Anna", None, end)
    told = await people.wait_for(KIM, lambda m: m.message_id not in kims)
    assert told.text == "Ditt meddelande går till Bo i stället. Bo får det idag klockan 07:00."

    at(running_bot, 7, 0, 1)
    copy = await people.wait_for(BO, lambda m: "\nJag kommer lite sent idag.\n" in m.text)
    assert copy.text.startswith("✉️ Från Kim (Rutt 1).")  # one message: who, and the words
    assert [m.message_id for m in await people.bot_messages(BO)] == [copy.message_id]
    assert await people.bot_messages(ANNA) == []
    message = await kept(running_bot)
    assert message.staff_id == route.ids["Bo"]


async def test_nobody_on_the_staff_can_get_it_then_someone_can(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    services = running_bot.services
    route = await a_route(running_bot, people)
    async with services.sessions.begin() as session:  # nobody has joined on Telegram yet
        for name in ("Anna", "Bo", "Cia"):
            (await session.get_one(Person, route.ids[name])).telegram_user_id = None
    at(running_bot, 9)
    assert (await kim_writes(people, "Hej, är det någon där?")).splitlines() == [
        "Jag har sparat ditt meddelande. Just nu kan jag inte nå någon.",
        "Det skickas till personalen så snart någon kan ta emot det.",
        "Är det bråttom? Ring 08-123 45 67.",
    ]
    note = await people.wait_for(DAN, lambda m: m.from_bot)
    assert note.text.startswith("✉️ Kim har skrivit ett meddelande, men ingen i personalen")
    assert "Hej, är det någon där?" not in note.text
    assert await people.bot_messages(EVA) == []  # Dan is the group's responsible admin

    kims = await seen(people, KIM)
    async with services.sessions.begin() as session:  # Anna joins
        (await session.get_one(Person, route.ids["Anna"])).telegram_user_id = ANNA
    await people.wait_for(ANNA, lambda m: "\nHej, är det någon där?\n" in m.text)
    told = await people.wait_for(KIM, lambda m: m.message_id not in kims and "Anna" in m.text)
    assert told.text == "Nu har Anna fått ditt meddelande."
    message = await kept(running_bot)
    assert message.staff_id == route.ids["Anna"] and message.relayed_at is not None


async def test_a_copy_given_up_on_goes_to_the_next(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    route = await a_route(running_bot, people)
    at(running_bot, 6)
    receipt = await kim_writes(people, "Var är nycklarna?")
    assert "Anna får ditt meddelande idag klockan 07:00." in receipt
    await people.block(ANNA)  # then Anna blocks the bot: Telegram answers 403
    at(running_bot, 7, 0, 1)
    copy = await people.wait_for(BO, lambda m: "\nVar är nycklarna?\n" in m.text)
    told = await people.wait_for(KIM, lambda m: m.text.startswith("Nu har"))
    assert told.text == "Nu har Bo fått ditt meddelande."
    await sent_and_recorded(running_bot.services, BO, copy.message_id)
    await sent_and_recorded(running_bot.services, KIM, told.message_id)
    async with running_bot.services.sessions() as session:
        rows = list(
            await session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.idempotency_key.like("relay:%"))
                .order_by(OutboxMessage.id)
            )
        )
        anna = await session.get_one(Person, route.ids["Anna"])
    assert [(r.idempotency_key, r.chat_id, r.status) for r in rows] == [
        ("relay:1:copy", ANNA, OutboxStatus.DEAD),  # a text: one message, header in it
        ("relay:1:copy:2", BO, OutboxStatus.SENT),
        (f"relay:1:told:{route.ids['Bo']}", KIM, OutboxStatus.SENT),
    ]
    assert anna.unreachable
