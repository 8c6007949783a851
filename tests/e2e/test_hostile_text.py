"""Text a person types is shown as typed, whatever characters it has: it is escaped for
the HTML the bot sends, never sent as markup (Telegram would refuse the message)."""

from __future__ import annotations

from sqlalchemy import select

from bot.sandbox.client import SandboxClient
from storage.models import Role, TaskTemplate
from tests.e2e.conftest import RunningBot
from tests.e2e.test_invite_in_chat import say
from tests.e2e.test_joining import invite, join
from tests.e2e.test_new_task import press

ANNA = 2001
TITLE = 'Kaffe <3 & te för "alla" </b>'


async def test_a_task_title_with_markup_characters(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    anna = await invite(running_bot.services, Role.SUPPORT, "Anna")
    await join(people, ANNA, "Anna", anna.code)
    assert (await say(people, ANNA, "/newtask")).startswith("Vad heter uppgiften?")
    assert (await say(people, ANNA, TITLE)).startswith("Vad ska göras?")
    assert (await say(people, ANNA, "Koka <kaffe>.")).startswith("Varför gör vi det?")
    assert (await say(people, ANNA, "Alla & ingen.")).startswith("Skriv stegen")
    assert (await say(people, ANNA, "Häll i <vatten>.")).startswith("Steg 1 är sparat.")
    assert await press(people, "Klart med stegen") == "Hur tung är uppgiften?"
    assert (await press(people, "Lätt")).startswith("Ungefär hur många minuter")
    assert await say(people, ANNA, "10") == "Gör en stödperson en del av uppgiften?"
    assert (await press(people, "Nej")).startswith("Skicka gärna bilder")
    preview = await press(people, "Klart")
    assert f"{TITLE}\n\nKoka <kaffe>." in preview
    assert "1. Häll i <vatten>." in preview
    assert await press(people, "Spara") == f"Uppgiften {TITLE} är sparad i katalogen."
    async with running_bot.services.sessions() as session:
        assert list(await session.scalars(select(TaskTemplate.title))) == [TITLE]

    assert (await say(people, ANNA, "/newtask")).startswith("Vad heter uppgiften?")
    assert await say(people, ANNA, TITLE) == (
        f"Det finns redan en uppgift som heter {TITLE}. Skriv ett annat namn."
    )


async def test_rota_input_is_echoed_as_typed(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    anna = await invite(running_bot.services, Role.SUPPORT, "Anna")
    await join(people, ANNA, "Anna", anna.code)
    assert await say(people, ANNA, "/rota <b>mon&tue 07:00-16:00") == (
        "Okända dagar: <b>mon&tue. Skriv till exempel mon-fri eller mon,wed,fri."
    )
    assert (await say(people, ANNA, "/rota mon 07:00-<i>")).startswith("Okänd tid: <i>")
