"""A support person adds a task to the catalogue in chat, one question at a time."""

from __future__ import annotations

from sqlalchemy import select

from bot.sandbox.client import SandboxClient
from storage.models import AttachmentKind, Role, TaskTemplate
from tests.e2e.conftest import RunningBot
from tests.e2e.helpers import new_bot_message, seen
from tests.e2e.test_invite_in_chat import say
from tests.e2e.test_joining import invite, join

ANNA = 2001


async def press(people: SandboxClient, label: str) -> str:
    known = await seen(people, ANNA)
    message = next(m for m in reversed(await people.bot_messages(ANNA)) if label in m.buttons())
    await people.press(ANNA, message.message_id, text=label)
    return (await new_bot_message(people, ANNA, known)).text


async def templates(bot: RunningBot) -> list[TaskTemplate]:
    async with bot.services.sessions() as session:
        return list(await session.scalars(select(TaskTemplate)))


async def test_a_task_with_steps_photo_and_place(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    anna = await invite(running_bot.services, Role.SUPPORT, "Anna")
    await join(people, ANNA, "Anna", anna.code)

    assert (await say(people, ANNA, "/newtask")).startswith("Vad heter uppgiften?")
    assert (await say(people, ANNA, "Vattna blommorna")).startswith("Vad ska göras?")
    assert (await say(people, ANNA, "Blommorna står i fönstren.")).startswith("Varför gör vi det?")
    assert (await say(people, ANNA, "Blommorna mår bra.")).startswith("Skriv stegen")
    assert (await press(people, "Klart med stegen")).startswith("Skriv stegen")  # none yet
    assert (await say(people, ANNA, "Hämta kannan.")).startswith("Steg 1 är sparat.")
    assert (await say(people, ANNA, "Vattna varje kruka.")).startswith("Steg 2 är sparat.")
    assert await press(people, "Klart med stegen") == "Hur tung är uppgiften?"
    assert (await say(people, ANNA, "tung")).startswith("Tryck på en av knapparna")
    strain = (await people.bot_messages(ANNA))[-2]
    assert strain.buttons() == ["Lätt", "Medel", "Tung"]
    early_save = await people.press(ANNA, strain.message_id, data="n:5")
    assert (await people.wait_for_answer(early_save))["text"] == "Den knappen fungerar inte längre."
    assert (await press(people, "Lätt")).startswith("Ungefär hur många minuter")
    assert (await say(people, ANNA, "en kvart")).startswith("Ungefär hur många minuter")
    assert await say(people, ANNA, "20") == "Gör en stödperson en del av uppgiften?"
    assert (await press(people, "Nej")).startswith("Skicka gärna bilder")

    known = await seen(people, ANNA)
    await people.send_photo(ANNA, caption="Kannan står här")
    assert (await new_bot_message(people, ANNA, known)).text.startswith("1 bilagor sparade.")
    known = await seen(people, ANNA)
    await people.send_location(ANNA, 59.33, 18.06)
    assert (await new_bot_message(people, ANNA, known)).text.startswith("2 bilagor sparade.")
    assert (await say(people, ANNA, "inte en länk")).startswith("Det kan inte bifogas.")
    assert (await say(people, ANNA, "https://example.org/blommor")).startswith("3 bilagor")

    preview = await press(people, "Klart")
    assert preview.startswith("Så här ser uppgiften ut första gången:\n\nVattna blommorna")
    assert "Så här gör du:\n1. Hämta kannan.\n2. Vattna varje kruka." in preview
    assert "Tyngd: Lätt. Tid: ungefär 20 minuter." in preview
    assert await templates(running_bot) == []
    assert await press(people, "Spara") == "Uppgiften Vattna blommorna är sparad i katalogen."

    (saved,) = await templates(running_bot)
    assert (saved.title, saved.strain, saved.expected_minutes, saved.with_support) == (
        "Vattna blommorna",
        1,
        20,
        False,
    )
    assert [s.text for s in saved.steps] == ["Hämta kannan.", "Vattna varje kruka."]
    assert [a.kind for a in saved.attachments] == [
        AttachmentKind.PHOTO,
        AttachmentKind.LOCATION,
        AttachmentKind.LINK,
    ]
    assert saved.attachments[1].latitude == 59.33

    assert (await say(people, ANNA, "/newtask")).startswith("Vad heter uppgiften?")
    assert (await say(people, ANNA, "vattna BLOMMORNA")).startswith("Det finns redan en uppgift")
    assert await say(people, ANNA, "/cancel") == "Avbrutet. Inget ändrades."
    assert len(await templates(running_bot)) == 1


async def test_support_part_is_asked_when_a_support_person_takes_part(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    anna = await invite(running_bot.services, Role.SUPPORT, "Anna")
    await join(people, ANNA, "Anna", anna.code)
    for text in (
        "/newtask",
        "Ringa kund",
        "Vi ringer om leveransen.",
        "Kunden vet när.",
        "Slå numret.",
    ):
        await say(people, ANNA, text)
    await press(people, "Klart med stegen")
    await press(people, "Medel")
    await press(people, "30")
    assert (await press(people, "Ja")).startswith("Vilken del gör stödpersonen?")
    assert (await say(people, ANNA, "Anna pratar med kunden.")).startswith("Skicka gärna")
    preview = await press(people, "Klart")
    assert "Stödpersonen gör: Anna pratar med kunden." in preview
    assert await press(people, "Släng") == "Avbrutet. Inget ändrades."
    assert await templates(running_bot) == []
