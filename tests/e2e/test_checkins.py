"""The check-ins through the sandbox: "Hur mår du idag?" right after the morning list,
every answer and every bad press; the end-of-day summary and its one-tap check-in."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select

from bot.rules.localtime import local_moment
from bot.sandbox.client import SandboxClient, SandboxMessage
from bot.services.day import tasks
from storage.models import CheckIn, HelpRequest, Person, PlannedTask, Role, TaskStatus
from storage.repos import people as people_repo
from tests.e2e.conftest import RunningBot
from tests.e2e.helpers import coworker_with_plan

KIM, SARA, ALI, ANNA, EVE = 1001, 1002, 1003, 2001, 6666
QUESTION = "Hur mår du idag?"
STRANGER = "Den här boten är för personer i Vardags arbetsträning. Be din stödperson om en länk."
UNKNOWN = "Den knappen fungerar inte längre."


async def recorded(bot: RunningBot) -> list[tuple[int, date, str, str]]:
    async with bot.services.sessions() as session:
        rows = await session.scalars(select(CheckIn).order_by(CheckIn.id))
        return [(c.person_id, c.day, c.kind.value, c.value) for c in rows]


async def joined(people: SandboxClient, user: int, name: str) -> None:
    """The person has opened the chat with the bot (Telegram's rule before it may write)."""
    await people.add_user(user, name)
    await people.send_text(user, "/start")
    await people.wait_for(user, lambda m: m.text.startswith("Hej igen"))


def set_local(bot: RunningBot, day: date, at: time) -> None:
    bot.clock.set(local_moment(day, at, bot.services.zone))


async def morning_check_in(
    people: SandboxClient, user: int
) -> tuple[SandboxMessage, SandboxMessage]:
    """The morning list and the check-in question that follows it."""
    question = await people.wait_for(user, lambda m: m.text.startswith(QUESTION))
    (morning,) = [m for m in await people.bot_messages(user) if m.text.startswith("God morgon")]
    return morning, question


async def pressed(people: SandboxClient, user: int, message_id: int, data: str) -> str:
    answer = await people.wait_for_answer(await people.press(user, message_id, data=data))
    return str(answer["text"])


async def test_the_check_in_follows_the_list_and_every_answer_is_kept(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    services, today = running_bot.services, running_bot.services.today()
    ids = {}
    for user, name in ((KIM, "Kim"), (SARA, "Sara"), (ALI, "Ali")):
        person, _ = await coworker_with_plan(services, name=name, telegram_id=user, day=today)
        ids[user] = person.id
        await joined(people, user, name)
    set_local(running_bot, today, time(8, 0, 1))

    answers = {KIM: "🟢 Bra", SARA: "🟡 Sådär", ALI: "🔴 Inte bra"}
    questions = {}
    for user, label in answers.items():
        morning, question = await morning_check_in(people, user)
        assert question.message_id > morning.message_id  # right after the list
        assert question.text == QUESTION
        assert question.buttons() == ["🟢 Bra", "🟡 Sådär", "🔴 Inte bra"]
        questions[user] = question
        await people.press(user, question.message_id, text=label)

    kim = await people.wait_for(
        KIM, lambda m: m.message_id == questions[KIM].message_id and m.edited > 0
    )
    assert kim.text == "Hur mår du idag?\nDu svarade: 🟢 Bra\n\nVad skönt! Ha en fin dag."
    assert kim.buttons() == []
    sara = await people.wait_for(
        SARA, lambda m: m.message_id == questions[SARA].message_id and m.edited > 0
    )
    assert sara.text == (
        "Hur mår du idag?\nDu svarade: 🟡 Sådär\n\n"
        "Tack för att du berättar. Ta det i din egen takt idag."
    )
    assert sara.buttons() == []
    ali = await people.wait_for(
        ALI, lambda m: m.message_id == questions[ALI].message_id and m.edited > 0
    )
    assert ali.text == (
        "Hur mår du idag?\nDu svarade: 🔴 Inte bra\n\n"
        "Tack för att du berättar. Din stödperson får veta det. "
        "Vill du ha hjälp direkt? Tryck på knappen."
    )
    assert ali.buttons() == ["🙋 Jag behöver hjälp"]
    assert ali.button_data("🙋 Jag behöver hjälp") == "q:0"
    assert sorted(await recorded(running_bot)) == sorted(
        [
            (ids[KIM], today, "morning", "green"),
            (ids[SARA], today, "morning", "amber"),
            (ids[ALI], today, "morning", "red"),
        ]
    )
    async with running_bot.services.sessions() as session:
        calls = [(r.coworker_id, r.reason) for r in await session.scalars(select(HelpRequest))]
    assert calls == [(ids[ALI], "red_check_in")]  # only red starts an escalation

    # A second press the same day (a double tap, an old client): the first answer counts.
    again = await pressed(people, KIM, kim.message_id, questions[KIM].button_data("🔴 Inte bra"))
    assert again == "Du har redan svarat idag."
    assert (ids[KIM], today, "morning", "green") in await recorded(running_bot)
    assert len(await recorded(running_bot)) == 3


async def test_bad_presses_on_the_check_in_record_nothing(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    services, today = running_bot.services, running_bot.services.today()
    yesterday = today - timedelta(days=1)
    await coworker_with_plan(services, name="Kim", telegram_id=KIM, day=yesterday)
    await coworker_with_plan(services, name="Sara", telegram_id=SARA, day=today)
    await joined(people, KIM, "Kim")
    await joined(people, SARA, "Sara")
    set_local(running_bot, yesterday, time(8, 0, 1))
    _, old = await morning_check_in(people, KIM)

    set_local(running_bot, today, time(8, 0, 1))
    sara_list, sara_question = await morning_check_in(people, SARA)
    assert await pressed(people, KIM, old.message_id, old.button_data("🟢 Bra")) == (
        "Den frågan gällde en annan dag. Tack ändå!"
    )
    # Today's answer pressed on another message (forged), and made-up data.
    todays_green = sara_question.button_data("🟢 Bra")
    assert await pressed(people, SARA, sara_list.message_id, todays_green) == UNKNOWN
    assert await pressed(people, SARA, sara_question.message_id, f"{todays_green[:-1]}7") == UNKNOWN
    assert await pressed(people, SARA, sara_question.message_id, "f:abc") == UNKNOWN
    # Kim was not asked today: today's data on yesterday's question is not taken.
    assert await pressed(people, KIM, old.message_id, todays_green) == UNKNOWN

    async with services.sessions.begin() as session:
        await people_repo.add_person(
            session, name="Anna", role=Role.SUPPORT, now=services.now(), telegram_user_id=ANNA
        )
    for user, name in ((ANNA, "Anna"), (EVE, "Eve")):
        await people.add_user(user, name)
        await people.send_text(user, "hej")
    anna_reply = await people.wait_for(ANNA, lambda m: m.from_bot)
    assert await pressed(people, ANNA, anna_reply.message_id, todays_green) == (
        "Det här är till för medarbetare."
    )
    eve_reply = await people.wait_for(EVE, lambda m: m.from_bot)
    assert await pressed(people, EVE, eve_reply.message_id, todays_green) == STRANGER

    assert await recorded(running_bot) == []
    unchanged = await people.wait_for(SARA, lambda m: m.message_id == sara_question.message_id)
    assert unchanged.edited == 0 and unchanged.buttons() == ["🟢 Bra", "🟡 Sådär", "🔴 Inte bra"]


async def test_the_summary_names_what_was_done_and_what_moves_then_asks_about_the_day(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    services, today = running_bot.services, running_bot.services.today()
    kim, (plants, tables, post) = await coworker_with_plan(
        services,
        name="Kim",
        telegram_id=KIM,
        day=today,
        titles=("Vattna blommorna", "Torka borden", "Sortera posten"),
    )
    await joined(people, KIM, "Kim")
    set_local(running_bot, today, time(8, 0, 1))
    await morning_check_in(people, KIM)
    for task in (plants, post):
        async with services.sessions.begin() as session:
            stored = await session.get_one(Person, kim.id)
            assert (await tasks.mark_done(services, session, stored, task.id)).task is not None

    set_local(running_bot, today, time(15, 30, 1))
    summary = await people.wait_for(KIM, lambda m: m.text.startswith("Bra jobbat idag!"))
    assert summary.text == (
        "Bra jobbat idag! Du gjorde 2 saker: Vattna blommorna och Sortera posten.\n"
        "Torka borden tar vi imorgon.\n\n"
        "Hur var din dag?"
    )
    assert summary.buttons() == ["😊 Bra dag", "😐 Okej", "😞 Tung dag"]

    await people.press(KIM, summary.message_id, text="😞 Tung dag")
    answered = await people.wait_for(
        KIM, lambda m: m.message_id == summary.message_id and m.edited > 0
    )
    assert answered.text == (
        "Bra jobbat idag! Du gjorde 2 saker: Vattna blommorna och Sortera posten.\n"
        "Torka borden tar vi imorgon.\n\n"
        "Du svarade: 😞 Tung dag\n"
        "Tack för att du berättar. Vila nu. Vill du prata, skriv här till din stödperson."
    )
    assert answered.buttons() == []
    again = await pressed(people, KIM, summary.message_id, summary.button_data("😊 Bra dag"))
    assert again == "Du har redan svarat idag."
    assert await recorded(running_bot) == [(kim.id, today, "evening", "heavy")]
    # The summary changes no task: the evening drafting carries Torka borden over.
    async with services.sessions() as session:
        statuses = [
            (await session.get_one(PlannedTask, t.id)).status for t in (plants, tables, post)
        ]
    assert statuses == [TaskStatus.DONE, TaskStatus.OPEN, TaskStatus.DONE]
    summaries = [m for m in await people.bot_messages(KIM) if m.text.startswith("Bra jobbat idag!")]
    assert len(summaries) == 1


async def test_no_summary_for_someone_whose_list_was_not_sent(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    services, today = running_bot.services, running_bot.services.today()
    await coworker_with_plan(services, name="Kim", telegram_id=KIM, day=today)
    # Sara's list is for tomorrow: today she got nothing, so there is nothing to sum up.
    await coworker_with_plan(services, name="Sara", telegram_id=SARA, day=today + timedelta(days=1))
    await joined(people, KIM, "Kim")
    await joined(people, SARA, "Sara")
    set_local(running_bot, today, time(8, 0, 1))
    await morning_check_in(people, KIM)
    set_local(running_bot, today, time(15, 30, 1))
    summary = await people.wait_for(KIM, lambda m: m.text.startswith("Tack för idag!"))
    assert summary.text == (
        "Tack för idag! Alla dagar är olika, och det är helt okej.\n"
        "Vattna blommorna tar vi imorgon.\n\n"
        "Hur var din dag?"
    )
    # Sara's would have been queued in the same tick as Kim's, had it been due.
    assert [m.text[:8] for m in await people.bot_messages(SARA)] == ["Hej igen"]
