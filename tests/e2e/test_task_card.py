"""The co-worker's task card through the sandbox: a first-time card with everything and
its attachments, a familiar card that shows its steps, ticks edited in place, done with
steps left, not today with and without a reason, help (someone on duty, nobody on
duty), and every stale, forged or foreign press."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from bot.rules.localtime import local_moment
from bot.sandbox.client import CallbackAnswer, SandboxClient, SandboxMessage
from bot.sandbox.server import SandboxServer
from bot.services.planning import drafting_everyone
from bot.services.planning import plans as planning
from storage.models import (
    Attachment,
    AttachmentKind,
    DayPlan,
    DutyShift,
    HelpRequest,
    OutboxMessage,
    OutboxStatus,
    Person,
    PlannedTask,
    PlanStatus,
    Reminder,
    ReminderKind,
    ReminderStatus,
    Role,
    TaskStatus,
    TaskTemplate,
    TemplateStep,
)
from storage.repos import organisation as org_repo
from storage.repos import people as people_repo
from storage.repos import rota as rota_repo
from tests.e2e.conftest import RunningBot
from tests.e2e.helpers import new_bot_message, open_today, seen, sent_and_recorded
from tests.e2e.test_joining import invite, join

KIM, SARA, ANNA = 1001, 1002, 2001
PHONE = "08-123 45 67"
ANSWER_ROWS = ["✅ Klar", "🙋 Jag behöver hjälp", "⏰ Senare", "🌙 Inte idag"]
HELP = "🙋 Jag behöver hjälp"
UNKNOWN = "Den knappen fungerar inte längre."
NOT_AVAILABLE = "Den uppgiften finns inte längre på din lista."
ALREADY_DONE = "Den är redan klar."
OLD_LIST = "Det här är en gammal lista. Här är dagens:"
REASONS = ["😴 Jag är trött", "⏳ Jag hann inte", "Något annat", "Vill inte säga"]


# --- the world ------------------------------------------------------------------------


def template(
    title: str,
    steps: tuple[str, ...] = (),
    *,
    minutes: int = 20,
    attachments: tuple[Attachment, ...] = (),
    **details: object,
) -> TaskTemplate:
    return TaskTemplate(
        title=title,
        expected_minutes=minutes,
        created_at=datetime(2026, 11, 1, tzinfo=UTC),
        steps=[TemplateStep(position=n, text=text) for n, text in enumerate(steps, 1)],
        attachments=list(attachments),
        **details,
    )


async def with_staff(bot: RunningBot) -> None:
    """Rutt 1 (with a phone number), Anna on duty weekdays 07–16 and Johan (not on
    Telegram, no hours); Kim's contact persons are Anna, then Johan."""
    services = bot.services
    async with services.sessions.begin() as session:
        group = await org_repo.add_group(session, "Rutt 1", PHONE, services.now())
        anna = await people_repo.add_person(
            session,
            name="Anna",
            role=Role.SUPPORT,
            now=services.now(),
            group=group,
            telegram_user_id=ANNA,
        )
        johan = await people_repo.add_person(
            session, name="Johan", role=Role.SUPPORT, now=services.now(), group=group
        )
        await rota_repo.add_shifts(
            session,
            [
                DutyShift(person_id=anna.id, weekday=d, start_time=time(7), end_time=time(16))
                for d in range(5)
            ],
        )
        (kim,) = await org_repo.persons_named(session, "Kim")
        kim.group_id = group.id
        await org_repo.set_contacts(session, kim.id, anna.id, johan.id)


async def plan_day(
    bot: RunningBot,
    name: str,
    telegram_id: int,
    day: date,
    templates: list[tuple[TaskTemplate, bool]],
) -> tuple[Person, list[PlannedTask]]:
    """A co-worker (made on first use) with a sent list for ``day``: (template,
    first_time) in order. Sent, so the clock's drafting leaves it as it is."""
    services = bot.services
    async with services.sessions.begin() as session:
        found = await org_repo.persons_named(session, name)
        person = (
            found[0]
            if found
            else await people_repo.add_person(
                session,
                name=name,
                role=Role.COWORKER,
                now=services.now(),
                telegram_user_id=telegram_id,
            )
        )
        tasks = []
        for made, first_time in templates:
            session.add(made)
            await session.flush()
            task = await planning.add_task(
                services, session, coworker=person, template=made, day=day
            )
            task.first_time = first_time
            tasks.append(task)
        plan = await session.get(DayPlan, tasks[0].day_plan_id)
        assert plan is not None
        plan.status = PlanStatus.SENT
    return person, tasks


async def pending_reminder(bot: RunningBot, task: PlannedTask, person: Person) -> int:
    services = bot.services
    async with services.sessions.begin() as session:
        reminder = Reminder(
            planned_task_id=task.id,
            person_id=person.id,
            kind=ReminderKind.DUE,
            status=ReminderStatus.PENDING,
            due_at=services.now() + timedelta(hours=3),
            created_at=services.now(),
        )
        session.add(reminder)
        await session.flush()
        return reminder.id


async def stored(bot: RunningBot, task_id: int) -> PlannedTask | None:
    async with bot.services.sessions() as session:
        return await session.get(PlannedTask, task_id)


async def reminder_status(bot: RunningBot, reminder_id: int) -> ReminderStatus:
    async with bot.services.sessions() as session:
        reminder = await session.get(Reminder, reminder_id)
    assert reminder is not None
    return reminder.status


async def help_rows(bot: RunningBot) -> list[OutboxMessage]:
    async with bot.services.sessions() as session:
        rows = await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.kind == "help_request")
            .order_by(OutboxMessage.id)
        )
        return list(rows)


# --- acting as Kim --------------------------------------------------------------------


async def current(people: SandboxClient, chat: int, message_id: int) -> SandboxMessage:
    return next(m for m in await people.messages(chat) if m.message_id == message_id)


async def press_edit(
    people: SandboxClient,
    chat: int,
    message_id: int,
    *,
    text: str | None = None,
    data: str | None = None,
) -> tuple[SandboxMessage, CallbackAnswer]:
    """Press a button and wait until the message it is on has been edited."""
    before = (await current(people, chat, message_id)).edited
    query = await people.press(chat, message_id, text=text, data=data)
    edited = await people.wait_for(chat, lambda m: m.message_id == message_id and m.edited > before)
    return edited, await people.wait_for_answer(query)


async def open_card(
    people: SandboxClient, chat: int, listed: SandboxMessage, label: str
) -> SandboxMessage:
    known = await seen(people, chat)
    await people.press(chat, listed.message_id, text=label)
    return await new_bot_message(people, chat, known, label.split(". ", 1)[1])


async def answer_to(people: SandboxClient, chat: int, message_id: int, data: str) -> CallbackAnswer:
    return await people.wait_for_answer(await people.press(chat, message_id, data=data))


async def fast(people: SandboxClient) -> None:
    """These tests are not about Telegram's per-chat limit: let edits through at once."""
    await people.set_limits(chat_per_second=50, chat_burst=50)


# --- the tests ------------------------------------------------------------------------


async def test_a_first_time_card_shows_everything_and_its_attachments(
    running_bot: RunningBot, people: SandboxClient, sandbox: SandboxServer
) -> None:
    photo = sandbox.state.new_photo()[-1].file_id
    document = sandbox.state.new_file(
        "document", file_name="foljesedel.pdf", mime_type="application/pdf"
    ).file_id
    delivery = template(
        "Ta emot leverans",
        ("Öppna bakdörren.", "Räkna kartongerna.", "Ställ dem i förrådet."),
        minutes=30,
        instructions="Leveransen kommer till bakdörren.",
        goal="Kaffet finns på plats till kunderna.",
        with_support=True,
        support_part="Anna pratar med chauffören.",
        attachments=(
            Attachment(
                position=1,
                kind=AttachmentKind.PHOTO,
                telegram_file_id=photo,
                caption="Så ser kartongerna ut.",
            ),
            Attachment(
                position=2,
                kind=AttachmentKind.LOCATION,
                latitude=59.33,
                longitude=18.06,
                caption="Bakdörren",
            ),
            Attachment(
                position=3,
                kind=AttachmentKind.DOCUMENT,
                telegram_file_id=document,
                caption="Följesedeln",
            ),
            Attachment(
                position=4,
                kind=AttachmentKind.LINK,
                url="https://example.org/leverans",
                caption="Mer om leveranser",
            ),
        ),
    )
    kim, (task,) = await plan_day(
        running_bot, "Kim", KIM, running_bot.services.today(), [(delivery, True)]
    )
    reminder = await pending_reminder(running_bot, task, kim)
    await people.add_user(KIM, "Kim")
    listed = await open_today(people, KIM)
    assert listed.buttons() == ["1. Ta emot leverans", HELP]

    card = await open_card(people, KIM, listed, "1. Ta emot leverans")
    assert card.text == (
        "Ta emot leverans\n"
        "Leveransen kommer till bakdörren.\n\n"
        "Målet: Kaffet finns på plats till kunderna.\n\n"
        "Det tar ungefär 30 minuter.\n"
        "Din stödperson gör det här: Anna pratar med chauffören.\n"
        "📍 Bakdörren\n"
        "🔗 Mer om leveranser: https://example.org/leverans\n\n"
        "Så här gör du:\n"
        "1. Öppna bakdörren.\n"
        "2. Räkna kartongerna.\n"
        "3. Ställ dem i förrådet.\n\n"
        "Tryck på ett steg när du har gjort det."
    )
    assert card.buttons() == [
        "☐ 1. Öppna bakdörren.",
        "☐ 2. Räkna kartongerna.",
        "☐ 3. Ställ dem i förrådet.",
        *ANSWER_ROWS,
    ]
    # The attachments follow the card, each a message of its own, in order.
    await people.wait_for(KIM, lambda m: m.kind == "document", after=card.message_id)
    sent = [m for m in await people.bot_messages(KIM) if m.message_id > card.message_id]
    assert [m.kind for m in sent] == ["photo", "location", "document"]
    assert (sent[0].photo, sent[0].caption) == (photo, "Så ser kartongerna ut.")
    assert sent[1].location is not None
    assert (sent[1].location["latitude"], sent[1].location["longitude"]) == (59.33, 18.06)
    assert sent[2].document is not None and sent[2].document["file_id"] == document
    assert sent[2].caption == "Följesedeln"
    after_open = await seen(people, KIM)
    await fast(people)  # the card and its attachments came through Telegram's chat limit

    ticked, answer = await press_edit(people, KIM, card.message_id, text="☐ 2. Räkna kartongerna.")
    assert ticked.text.endswith(
        "Så här gör du:\n1. Öppna bakdörren.\n2. Räkna kartongerna.\n"
        "3. Ställ dem i förrådet.\n\nDu har gjort 1 av 3 steg."
    )
    assert ticked.buttons()[:3] == [
        "☐ 1. Öppna bakdörren.",
        "☑ 2. Räkna kartongerna.",
        "☐ 3. Ställ dem i förrådet.",
    ]
    assert answer["text"] is None
    row = await stored(running_bot, task.id)
    assert row is not None and (row.status, row.steps_done) == (TaskStatus.STARTED, [1])

    unticked, _ = await press_edit(people, KIM, card.message_id, text="☑ 2. Räkna kartongerna.")
    assert unticked.text.endswith("Tryck på ett steg när du har gjort det.")
    row = await stored(running_bot, task.id)
    assert row is not None and (row.status, row.steps_done) == (TaskStatus.STARTED, [])
    await press_edit(people, KIM, card.message_id, text="☐ 1. Öppna bakdörren.")
    assert await seen(people, KIM) == after_open  # every tick edited the card in place

    # Done with two steps left: asked once, in place.
    question, _ = await press_edit(people, KIM, card.message_id, text="✅ Klar")
    assert question.text == "Ta emot leverans\n\nDu har gjort 1 av 3 steg.\nÄr allt klart?"
    assert question.buttons() == ["✅ Ja, allt är klart", "Inte än"]
    row = await stored(running_bot, task.id)
    assert row is not None and row.status is TaskStatus.STARTED

    back, _ = await press_edit(people, KIM, card.message_id, text="Inte än")
    assert (
        back.text.endswith("Du har gjort 1 av 3 steg.")
        and "☑ 1. Öppna bakdörren." in back.buttons()
    )

    await press_edit(people, KIM, card.message_id, text="✅ Klar")
    done, answer = await press_edit(people, KIM, card.message_id, text="✅ Ja, allt är klart")
    assert done.text == "Ta emot leverans\n\n✅ Klart! Bra jobbat."
    assert done.buttons() == []
    assert answer["text"] == "Bra jobbat!"
    refreshed = await people.wait_for(
        KIM, lambda m: m.message_id == listed.message_id and "✅ 1. Ta emot leverans" in m.buttons()
    )
    assert "Allt är klart för idag. Bra jobbat!" in refreshed.text
    row = await stored(running_bot, task.id)
    assert row is not None and (row.status, row.steps_done) == (TaskStatus.DONE, [0])
    assert row.done_at is not None and row.card_message_id == card.message_id
    assert await reminder_status(running_bot, reminder) is ReminderStatus.ANSWERED
    # The attachments went with the first-time card only, not with "Inte än" or the ticks.
    assert await seen(people, KIM) == after_open


async def test_a_familiar_card_is_one_line_until_its_steps_are_shown(
    running_bot: RunningBot, people: SandboxClient, sandbox: SandboxServer
) -> None:
    await fast(people)
    photo = sandbox.state.new_photo()[-1].file_id
    watering = template(
        "Vattna blommorna",
        ("Hämta kannan.", "Vattna varje kruka."),
        attachments=(
            Attachment(
                position=1,
                kind=AttachmentKind.PHOTO,
                telegram_file_id=photo,
                caption="Kannan står i förrådet.",
            ),
        ),
        instructions="Blommorna står i fönstren.",
    )
    tables = template("Torka borden", ("Torka varje bord.",), minutes=15)
    _, (water, wipe) = await plan_day(
        running_bot, "Kim", KIM, running_bot.services.today(), [(watering, False), (tables, False)]
    )
    await people.add_user(KIM, "Kim")
    listed = await open_today(people, KIM)

    card = await open_card(people, KIM, listed, "1. Vattna blommorna")
    assert card.text == "Vattna blommorna\nDet tar ungefär 20 minuter."
    assert card.buttons() == ["Visa stegen", *ANSWER_ROWS]

    shown, _ = await press_edit(people, KIM, card.message_id, text="Visa stegen")
    assert shown.text == (
        "Vattna blommorna\nDet tar ungefär 20 minuter.\n\n"
        "Så här gör du:\n1. Hämta kannan.\n2. Vattna varje kruka.\n\n"
        "Tryck på ett steg när du har gjort det."
    )
    assert shown.buttons() == ["☐ 1. Hämta kannan.", "☐ 2. Vattna varje kruka.", *ANSWER_ROWS]
    picture = await people.wait_for(KIM, lambda m: m.kind == "photo", after=card.message_id)
    assert (picture.photo, picture.caption) == (photo, "Kannan står i förrådet.")

    await press_edit(people, KIM, card.message_id, text="☐ 1. Hämta kannan.")
    all_ticked, _ = await press_edit(people, KIM, card.message_id, text="☐ 2. Vattna varje kruka.")
    assert all_ticked.text.endswith("Alla steg är gjorda. Tryck på ✅ Klar.")
    done, _ = await press_edit(people, KIM, card.message_id, text="✅ Klar")
    assert done.text == "Vattna blommorna\n\n✅ Klart! Bra jobbat."

    # Done on a familiar card whose steps were never shown: no question.
    other = await open_card(people, KIM, listed, "2. Torka borden")
    assert other.buttons() == ["Visa stegen", *ANSWER_ROWS]
    done, _ = await press_edit(people, KIM, other.message_id, text="✅ Klar")
    assert done.text == "Torka borden\n\n✅ Klart! Bra jobbat."

    rows = [await stored(running_bot, t.id) for t in (water, wipe)]
    assert [(r.status, r.steps_done) for r in rows if r is not None] == [
        (TaskStatus.DONE, [0, 1]),
        (TaskStatus.DONE, []),
    ]
    # One picture: sent when the steps were shown, not when the card was opened.
    assert [m.kind for m in await people.bot_messages(KIM)].count("photo") == 1


async def test_not_today_with_a_reason_and_without(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    await fast(people)
    services = running_bot.services
    today = services.today()
    kim, (water, wipe) = await plan_day(
        running_bot,
        "Kim",
        KIM,
        today,
        [
            (template("Vattna blommorna", ("Hämta kannan.",)), False),
            (template("Torka borden"), False),
        ],
    )
    reminder = await pending_reminder(running_bot, water, kim)
    await people.add_user(KIM, "Kim")
    listed = await open_today(people, KIM)

    card = await open_card(people, KIM, listed, "1. Vattna blommorna")
    asked, _ = await press_edit(people, KIM, card.message_id, text="🌙 Inte idag")
    assert asked.text == (
        "Vattna blommorna\n\nOkej. Vi tar det en annan dag.\nVill du säga varför? Du behöver inte."
    )
    assert asked.buttons() == REASONS
    row = await stored(running_bot, water.id)
    assert row is not None and (row.status, row.not_today_reason) == (TaskStatus.NOT_TODAY, None)
    assert await reminder_status(running_bot, reminder) is ReminderStatus.ANSWERED
    refreshed = await people.wait_for(
        KIM, lambda m: m.message_id == listed.message_id and m.edited > 0
    )
    assert "🌙 1. Vattna blommorna (inte idag)" in refreshed.text
    assert refreshed.buttons() == ["🌙 1. Vattna blommorna", "2. Torka borden", HELP]

    answered, answer = await press_edit(people, KIM, card.message_id, text="😴 Jag är trött")
    assert answered.text == (
        "Vattna blommorna\n\nOkej. Vi tar det en annan dag.\nTack för att du sa det."
    )
    assert answered.buttons() == []
    assert answer["text"] == "Tack!"
    row = await stored(running_bot, water.id)
    assert row is not None and (row.status, row.not_today_reason) == (TaskStatus.NOT_TODAY, "tired")

    other = await open_card(people, KIM, listed, "2. Torka borden")
    await press_edit(people, KIM, other.message_id, text="🌙 Inte idag")
    skipped, _ = await press_edit(people, KIM, other.message_id, text="Vill inte säga")
    assert skipped.text == "Torka borden\n\nOkej. Vi tar det en annan dag."
    row = await stored(running_bot, wipe.id)
    assert row is not None and (row.status, row.not_today_reason) == (TaskStatus.NOT_TODAY, None)

    # Opened again, the card says so, and the task can still be done today.
    again = await open_card(people, KIM, listed, "🌙 1. Vattna blommorna")
    assert again.text == (
        "Vattna blommorna\nDet tar ungefär 20 minuter.\n"
        "🌙 Du sa inte idag. Du kan göra den ändå om du vill."
    )
    assert again.buttons() == ["Visa stegen", *ANSWER_ROWS]

    # The evening drafting carries both over to tomorrow.
    tomorrow = today + timedelta(days=1)
    await drafting_everyone.draft_all(services, tomorrow)
    async with services.sessions() as session:
        plan = await session.scalar(select(DayPlan).where(DayPlan.day == tomorrow))
        assert plan is not None
        carried = [(t.template.title, t.carried_from) for t in plan.tasks]
    assert sorted(carried) == [("Torka borden", today), ("Vattna blommorna", today)]
    rows = [await stored(running_bot, t.id) for t in (water, wipe)]
    assert [r.status for r in rows if r is not None] == [TaskStatus.CARRIED_OVER] * 2


async def test_help_reaches_the_contact_person_on_duty(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    await fast(people)
    services = running_bot.services
    running_bot.clock.set(local_moment(services.today(), time(9, 0), services.zone))
    kim, (task,) = await plan_day(
        running_bot, "Kim", KIM, services.today(), [(template("Vattna blommorna"), False)]
    )
    await with_staff(running_bot)
    reminder = await pending_reminder(running_bot, task, kim)
    await people.add_user(KIM, "Kim")
    await people.add_user(ANNA, "Anna", started=True)
    listed = await open_today(people, KIM)
    card = await open_card(people, KIM, listed, "1. Vattna blommorna")

    known = await seen(people, KIM)
    await people.press(KIM, card.message_id, text=HELP)
    receipt = await new_bot_message(people, KIM, known)
    assert receipt.text == (
        "Jag har sagt till Anna att du behöver hjälp. Anna hör av sig så snart det går."
    )
    told = await people.wait_for(ANNA, lambda m: m.from_bot)
    assert told.text == (
        "🙋 Kim behöver hjälp med Vattna blommorna (kl 09:00).\n"
        "Grupp: Rutt 1\n"
        "Hör av dig till Kim så snart du kan."
    )
    row = await stored(running_bot, task.id)
    assert row is not None and row.status is TaskStatus.HELP
    assert await reminder_status(running_bot, reminder) is ReminderStatus.ANSWERED
    refreshed = await people.wait_for(
        KIM, lambda m: m.message_id == listed.message_id and m.edited > 0
    )
    assert "🙋 1. Vattna blommorna (bett om hjälp)" in refreshed.text

    # A second press in the same minute: the same receipt, and Anna is told once.
    known = await seen(people, KIM)
    await people.press(KIM, card.message_id, text=HELP)
    assert (await new_bot_message(people, KIM, known)).text == receipt.text
    await sent_and_recorded(services, ANNA, told.message_id)  # Anna saw it: it is recorded
    (queued,) = await help_rows(running_bot)
    (request,) = await help_requests(running_bot)
    assert queued.idempotency_key == f"help:{request.id}:0"
    assert (queued.chat_id, queued.status) == (ANNA, OutboxStatus.SENT)

    # Anna takes it: Kim hears who is coming, and nobody else is asked.
    known = await seen(people, KIM)
    await people.press(ANNA, told.message_id, text="✋ Jag tar det")
    on_the_way = await new_bot_message(people, KIM, known)
    assert on_the_way.text == "Anna har sett det och hör av sig."

    # Help from the list, not about a task.
    known = await seen(people, KIM)
    await people.press(KIM, listed.message_id, text=HELP)
    assert (await new_bot_message(people, KIM, known)).text == receipt.text
    general = await people.wait_for(ANNA, lambda m: m.from_bot and m.message_id != told.message_id)
    assert general.text == (
        "🙋 Kim behöver hjälp (kl 09:00).\nGrupp: Rutt 1\nHör av dig till Kim så snart du kan."
    )
    keys = [r.idempotency_key for r in await help_rows(running_bot)]
    general_request = (await help_requests(running_bot))[1]
    assert general_request.planned_task_id is None
    assert keys[1] == f"help:{general_request.id}:0"


async def help_requests(bot: RunningBot) -> list[HelpRequest]:
    async with bot.services.sessions() as session:
        return list(await session.scalars(select(HelpRequest).order_by(HelpRequest.id)))


async def test_help_when_nobody_is_on_duty_says_when_and_whom_to_call(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    await fast(people)
    services = running_bot.services  # 06:00 on Tuesday: Anna comes on duty at 07:00
    await plan_day(
        running_bot, "Kim", KIM, services.today(), [(template("Vattna blommorna"), False)]
    )
    await with_staff(running_bot)
    await people.add_user(KIM, "Kim")
    await people.add_user(ANNA, "Anna", started=True)
    listed = await open_today(people, KIM)

    known = await seen(people, KIM)
    await people.press(KIM, listed.message_id, text=HELP)
    receipt = await new_bot_message(people, KIM, known)
    assert receipt.text == (
        "Ingen har tjänst just nu.\n"
        "Anna får veta det idag klockan 07:00.\n"
        "Vill du prata med någon nu? Ring 08-123 45 67.\n"
        "Vid fara: ring 112."
    )
    seven = local_moment(services.today(), time(7, 0), services.zone)
    (queued,) = await help_rows(running_bot)
    assert (queued.chat_id, queued.status, queued.next_attempt_at) == (
        ANNA,
        OutboxStatus.PENDING,
        seven,
    )

    running_bot.clock.set(seven + timedelta(seconds=1))
    told = await people.wait_for(ANNA, lambda m: m.from_bot)
    assert told.text.startswith("🙋 Kim behöver hjälp (kl 06:00).\nGrupp: Rutt 1")


@pytest.mark.parametrize("action", ["d", "j", "v", "x", "y", "q"])
async def test_a_press_on_a_done_task_says_it_is_done(
    running_bot: RunningBot, people: SandboxClient, action: str
) -> None:
    await fast(people)
    services = running_bot.services
    _, (task,) = await plan_day(
        running_bot,
        "Kim",
        KIM,
        services.today(),
        [(template("Vattna blommorna", ("Hämta kannan.",)), False)],
    )
    await people.add_user(KIM, "Kim")
    listed = await open_today(people, KIM)
    card = await open_card(people, KIM, listed, "1. Vattna blommorna")
    await press_edit(people, KIM, card.message_id, text="✅ Klar")
    before = await stored(running_bot, task.id)
    assert before is not None and before.status is TaskStatus.DONE

    target = task.id * 100 if action == "x" else task.id
    answer = await answer_to(people, KIM, card.message_id, f"{action}:{target}")
    assert answer["text"] == ALREADY_DONE
    shown = await current(people, KIM, card.message_id)
    assert shown.text == "Vattna blommorna\n\n✅ Klart! Bra jobbat." and shown.buttons() == []
    after = await stored(running_bot, task.id)
    assert after is not None
    assert (after.status, after.steps_done, after.done_at) == (
        TaskStatus.DONE,
        [],
        before.done_at,
    )
    assert await help_rows(running_bot) == []


async def test_stale_forged_and_foreign_presses_change_nothing(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    await fast(people)
    services = running_bot.services
    today = services.today()
    _, (mine, removed) = await plan_day(
        running_bot,
        "Kim",
        KIM,
        today,
        [
            (template("Vattna blommorna", ("Hämta kannan.",)), False),
            (template("Torka borden"), False),
        ],
    )
    _, (old,) = await plan_day(
        running_bot, "Kim", KIM, today - timedelta(days=1), [(template("Packa kaffe"), False)]
    )
    _, (saras,) = await plan_day(
        running_bot, "Sara", SARA, today, [(template("Sortera post"), False)]
    )
    annas = await join(
        people, ANNA, "Anna", (await invite(services, Role.SUPPORT, "Anna", None)).code
    )
    await people.add_user(KIM, "Kim")
    listed = await open_today(people, KIM)
    card = await open_card(people, KIM, listed, "1. Vattna blommorna")
    gone = await open_card(people, KIM, listed, "2. Torka borden")

    async def snapshot() -> list[tuple[int, TaskStatus, list[int], str | None]]:
        async with services.sessions() as session:
            rows = await session.scalars(select(PlannedTask).order_by(PlannedTask.id))
            return [(t.id, t.status, t.steps_done, t.not_today_reason) for t in rows]

    # A step or reason that is not there.
    before = await snapshot()
    for data in (f"x:{mine.id * 100 + 7}", f"x:{mine.id * 100 + 99}", f"z:{mine.id * 10 + 7}"):
        answer = await answer_to(people, KIM, card.message_id, data)
        assert (answer["text"], answer["show_alert"]) == (UNKNOWN, True), data

    # Sara's task, pressed by Kim.
    for data in (
        f"v:{saras.id}",
        f"x:{saras.id * 100}",
        f"d:{saras.id}",
        f"j:{saras.id}",
        f"y:{saras.id}",
        f"z:{saras.id * 10}",
    ):
        answer = await answer_to(people, KIM, card.message_id, data)
        assert (answer["text"], answer["show_alert"]) == (NOT_AVAILABLE, True), data

    # Staff pressing a co-worker's buttons.
    for data in (f"d:{mine.id}", f"x:{mine.id * 100}", f"y:{mine.id}", "q:0", f"q:{mine.id}"):
        answer = await answer_to(people, ANNA, annas.message_id, data)
        assert (answer["text"], answer["show_alert"]) == (UNKNOWN, True), data
    assert await snapshot() == before

    # Yesterday's task: a pointer to today's list, every time.
    for data in (f"d:{old.id}", f"v:{old.id}", f"x:{old.id * 100}", f"y:{old.id}", f"j:{old.id}"):
        known = await seen(people, KIM)
        await people.press(KIM, listed.message_id, data=data)
        pointer = await new_bot_message(people, KIM, known)
        assert (pointer.text, pointer.buttons()) == (OLD_LIST, ["Dagens lista"]), data
    assert await snapshot() == before

    # A task the support person took off the list while its card was open.
    async with services.sessions.begin() as session:
        row = await session.get(PlannedTask, removed.id)
        await session.delete(row)
    before = await snapshot()
    for label in ("✅ Klar", "🌙 Inte idag"):
        answer = await people.wait_for_answer(await people.press(KIM, gone.message_id, text=label))
        assert (answer["text"], answer["show_alert"]) == (NOT_AVAILABLE, True), label
    for data in (f"v:{removed.id}", f"x:{removed.id * 100}", f"o:{removed.id}"):
        answer = await answer_to(people, KIM, gone.message_id, data)
        assert (answer["text"], answer["show_alert"]) == (NOT_AVAILABLE, True), data
    assert await snapshot() == before
    assert (await current(people, KIM, gone.message_id)).edited == 0

    # Help is never refused: about Sara's task it is Kim's own call for help, and
    # nothing of Sara's task is touched or named.
    known = await seen(people, KIM)
    await people.press(KIM, card.message_id, data=f"q:{saras.id}")
    receipt = await new_bot_message(people, KIM, known)
    assert receipt.text == (
        "Ingen har tjänst just nu.\nJag kan inte nå någon i personalen nu.\nVid fara: ring 112."
    )
    assert await snapshot() == before
