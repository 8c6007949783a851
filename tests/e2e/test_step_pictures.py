"""Pictures that belong to steps, through the sandbox: a catalogue file gives a step its
picture and the co-worker gets that picture with that step, in order; /newtask takes a
photo after a step's text; bad pictures are refused and change nothing."""

from __future__ import annotations

from sqlalchemy import select

from bot.sandbox.client import SandboxClient, SandboxMessage
from bot.sandbox.server import SandboxServer
from storage.models import Role, TaskTemplate
from tests.e2e.conftest import RunningBot
from tests.e2e.helpers import new_bot_message, open_today, seen
from tests.e2e.test_catalogue_upload import upload
from tests.e2e.test_invite_in_chat import say
from tests.e2e.test_joining import invite, join
from tests.e2e.test_new_task import press
from tests.e2e.test_task_card import ANSWER_ROWS, fast, open_card, plan_day, press_edit, template

ANNA, KIM = 2001, 1001


def catalogue(step_picture: str, task_picture: str) -> str:
    return f"""\
tasks:
  - title: Vattna blommorna
    instructions: Blommorna står i fönstren.
    steps:
      - Hämta kannan i förrådet.
      - text: Fyll kannan till det röda strecket.
        photo: {step_picture}
      - Vattna varje kruka.
      - Torka upp om det har runnit över.
      - text: Ställ tillbaka kannan här.
        photo: {step_picture}
    strain: lätt
    minutes: 20
    attachments:
      - photo: {task_picture}
        caption: Så ser fönstret ut.
"""


async def template_titled(bot: RunningBot, title: str) -> TaskTemplate:
    async with bot.services.sessions() as session:
        return (await session.scalars(select(TaskTemplate).filter_by(title=title))).one()


async def after(people: SandboxClient, chat: int, message_id: int) -> list[SandboxMessage]:
    return [m for m in await people.bot_messages(chat) if m.message_id > message_id]


async def test_a_step_picture_from_the_catalogue_comes_with_its_step(
    running_bot: RunningBot, people: SandboxClient, sandbox: SandboxServer
) -> None:
    anna = await invite(running_bot.services, Role.SUPPORT, "Anna")
    await join(people, ANNA, "Anna", anna.code)
    step_picture = sandbox.state.new_photo()[-1].file_id
    task_picture = sandbox.state.new_photo()[-1].file_id

    refused = await upload(
        sandbox, people, ANNA, "katalog.yaml", catalogue("kannan.jpg", task_picture).encode()
    )
    assert refused == (
        "Katalogen är inte inläst. Rad 7, photo: ska vara Telegrams id för en bild "
        "(bokstäver, siffror, - och _), så som den står i en fil från vardag export-catalogue."
    )
    async with running_bot.services.sessions() as session:
        assert list(await session.scalars(select(TaskTemplate))) == []

    data = catalogue(step_picture, task_picture).encode()
    assert await upload(sandbox, people, ANNA, "katalog.yaml", data) == (
        "Katalogen är inläst: 1 ny, 0 ändrade."
    )
    watering = await template_titled(running_bot, "Vattna blommorna")
    assert [s.photo_file_id for s in watering.steps] == [
        None,
        step_picture,
        None,
        None,
        step_picture,
    ]

    await fast(people)
    await plan_day(running_bot, "Kim", KIM, running_bot.services.today(), [(watering, True)])
    await people.add_user(KIM, "Kim")
    listed = await open_today(people, KIM)
    card = await open_card(people, KIM, listed, "1. Vattna blommorna")
    assert card.text == (
        "Vattna blommorna\nBlommorna står i fönstren.\n\n"
        "Det tar ungefär 20 minuter.\n\n"
        "Så här gör du:\nStegen kommer här under, med bilder.\n\n"
        "Tryck på ett steg när du har gjort det."
    )
    assert card.buttons() == [
        "☐ 1. Hämta kannan i förrådet.",
        "☐ 2. Fyll kannan till det röda strecket.",
        "☐ 3. Vattna varje kruka.",
        "☐ 4. Torka upp om det har runnit över.",
        "☐ 5. Ställ tillbaka kannan här.",
        *ANSWER_ROWS,
    ]
    # Each picture with its step, in order; the steps between as text; then the task's own.
    await people.wait_for(KIM, lambda m: m.caption == "Så ser fönstret ut.", after=card.message_id)
    sent = await after(people, KIM, card.message_id)
    assert [(m.kind, m.content) for m in sent] == [
        ("text", "1. Hämta kannan i förrådet."),
        ("photo", "2. Fyll kannan till det röda strecket."),
        ("text", "3. Vattna varje kruka.\n4. Torka upp om det har runnit över."),
        ("photo", "5. Ställ tillbaka kannan här."),
        ("photo", "Så ser fönstret ut."),
    ]
    assert [m.photo for m in sent if m.kind == "photo"] == [
        step_picture,
        step_picture,
        task_picture,
    ]

    # Ticking a step edits the card only: the pictures are not sent again.
    known = await seen(people, KIM)
    await people.press(KIM, card.message_id, text="☐ 2. Fyll kannan till det röda strecket.")
    await people.wait_for(
        KIM,
        lambda m: (
            m.message_id == card.message_id
            and "☑ 2. Fyll kannan till det röda strecket." in m.buttons()
        ),
    )
    assert await seen(people, KIM) == known


async def test_newtask_takes_a_photo_after_a_steps_text(
    running_bot: RunningBot, people: SandboxClient, sandbox: SandboxServer
) -> None:
    anna = await invite(running_bot.services, Role.SUPPORT, "Anna")
    await join(people, ANNA, "Anna", anna.code)
    for text in ("/newtask", "Vattna blommorna", "Blommorna står i fönstren."):
        await say(people, ANNA, text)
    assert (await say(people, ANNA, "Blommorna mår bra.")).startswith(
        "Skriv stegen, ett meddelande för varje steg. Vill du ha en bild till ett steg: "
        "skicka bilden efter stegets text."
    )

    async def send_photo(caption: str | None = None) -> str:
        known = await seen(people, ANNA)
        await people.send_photo(ANNA, caption=caption)
        return (await new_bot_message(people, ANNA, known)).text

    async def send_document() -> str:
        known = await seen(people, ANNA)
        await people.send_document(ANNA, file_name="kanna.jpg", mime_type="image/jpeg")
        return (await new_bot_message(people, ANNA, known)).text

    assert await send_photo() == "Skriv stegets text först, och skicka sedan bilden."
    assert (await say(people, ANNA, "Hämta kannan.")).startswith("Steg 1 är sparat.")
    assert await send_photo() == (
        "Bilden hör nu till steg 1. Skriv nästa steg, eller tryck Klart med stegen."
    )
    assert (await say(people, ANNA, "Vattna varje kruka.")).startswith("Steg 2 är sparat.")
    assert await send_document() == (
        "Ett steg kan bara vara text, med ett foto om du vill. "
        "Skicka bilden som foto, inte som fil."
    )
    assert (await send_photo("Ställ tillbaka kannan.")).startswith("Bilden hör nu till steg 3.")
    await press(people, "Klart med stegen")
    await press(people, "Lätt")
    await press(people, "15")
    await press(people, "Nej")
    preview = await press(people, "Klart")
    assert (
        "Så här gör du:\n1. Hämta kannan. 📷\n2. Vattna varje kruka.\n3. Ställ tillbaka kannan. 📷"
    ) in preview
    assert await press(people, "Spara") == "Uppgiften Vattna blommorna är sparad i katalogen."

    saved = await template_titled(running_bot, "Vattna blommorna")
    photos = [m for m in await people.messages(ANNA) if m.kind == "photo" and not m.from_bot]
    first, second = photos[1].photo, photos[2].photo  # the first came before any step
    assert [(s.text, s.photo_file_id) for s in saved.steps] == [
        ("Hämta kannan.", first),
        ("Vattna varje kruka.", None),
        ("Ställ tillbaka kannan.", second),
    ]
    assert first is not None and second is not None and first != second
    assert saved.attachments == []


async def test_a_familiar_card_sends_the_step_pictures_when_its_steps_are_shown(
    running_bot: RunningBot, people: SandboxClient, sandbox: SandboxServer
) -> None:
    """A familiar task shows its steps on "Visa stegen", with their pictures then; a
    picture Telegram no longer knows comes as its step's text."""
    await fast(people)
    picture = sandbox.state.new_photo()[-1].file_id
    forgotten = "AgACAgIAAxkBAAForgottenPictureOfTheBucket_1"
    watering = template("Vattna blommorna", ("Hämta kannan.", "Vattna <varje> kruka."))
    watering.steps[1].photo_file_id = picture
    floor = template("Torka golvet", ("Hämta hinken.", "Torka golvet."))
    floor.steps[0].photo_file_id = forgotten
    await plan_day(
        running_bot, "Kim", KIM, running_bot.services.today(), [(watering, False), (floor, False)]
    )
    await people.add_user(KIM, "Kim")
    listed = await open_today(people, KIM)

    card = await open_card(people, KIM, listed, "1. Vattna blommorna")
    assert card.buttons() == ["Visa stegen", *ANSWER_ROWS]
    assert await after(people, KIM, card.message_id) == []  # nothing yet

    shown, _ = await press_edit(people, KIM, card.message_id, text="Visa stegen")
    assert "Stegen kommer här under, med bilder." in shown.text
    await people.wait_for(KIM, lambda m: m.kind == "photo", after=card.message_id)
    sent = await after(people, KIM, card.message_id)
    assert [(m.kind, m.content, m.photo) for m in sent] == [
        ("text", "1. Hämta kannan.", None),
        ("photo", "2. Vattna <varje> kruka.", picture),
    ]

    other = await open_card(people, KIM, listed, "2. Torka golvet")
    await press_edit(people, KIM, other.message_id, text="Visa stegen")
    await people.wait_for(KIM, lambda m: m.text == "2. Torka golvet.", after=other.message_id)
    assert [(m.kind, m.content) for m in await after(people, KIM, other.message_id)] == [
        ("text", "1. Hämta hinken."),
        ("text", "2. Torka golvet."),
    ]
