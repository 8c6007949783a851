"""A support person sends a catalogue file to the bot; a co-worker's file stays a message.

The sandbox's people side cannot attach bytes to a document, so the tests post the
document through the sandbox state (``new_file(data=…)`` + ``post_user_message``); the bot
then fetches it over HTTP with getFile and the file URL, as from Telegram.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from bot.sandbox.client import SandboxClient
from bot.sandbox.server import SandboxServer
from storage.models import Message, Role, TaskTemplate
from tests.e2e.conftest import RunningBot
from tests.e2e.helpers import new_bot_message, seen
from tests.e2e.test_joining import invite, join

ANNA, KIM = 2001, 1001

CATALOGUE = """\
tasks:
  - title: Duka borden i caféet
    goal: Gästerna ska känna sig välkomna.
    steps: [Hämta dukarna., Lägg en duk på varje bord.]
    strain: lätt
    minutes: 20
  - title: Köra diskmaskinen
    strain: medel
    minutes: 40
  - title: Ta emot varuleveransen
    strain: tung
    minutes: 60
    with_support: true
    support_part: Stödpersonen pratar med chauffören.
"""


async def upload(
    sandbox: SandboxServer,
    people: SandboxClient,
    user_id: int,
    name: str,
    data: bytes,
    file_size: int | None = None,
) -> str:
    """Send a document with these bytes; the one new answer from the bot."""
    known = await seen(people, user_id)
    state = sandbox.state
    stored = state.new_file(
        "document",
        data=data,
        file_name=name,
        mime_type="application/yaml",
        file_size=file_size or len(data),
    )
    state.post_user_message(user_id, kind="document", files=[stored])
    reply = await new_bot_message(people, user_id, known)
    await asyncio.sleep(0.3)  # and nothing else follows
    assert [
        m.message_id for m in await people.bot_messages(user_id) if m.message_id not in known
    ] == [reply.message_id]
    return reply.text


async def templates(bot: RunningBot) -> dict[str, TaskTemplate]:
    async with bot.services.sessions() as session:
        return {t.title: t for t in await session.scalars(select(TaskTemplate))}


async def test_a_support_person_imports_a_catalogue_file(
    running_bot: RunningBot, people: SandboxClient, sandbox: SandboxServer
) -> None:
    anna = await invite(running_bot.services, Role.SUPPORT, "Anna")
    await join(people, ANNA, "Anna", anna.code)

    data = CATALOGUE.encode()
    assert await upload(sandbox, people, ANNA, "katalog.yaml", data) == (
        "Katalogen är inläst: 3 nya, 0 ändrade."
    )
    stored = await templates(running_bot)
    assert set(stored) == {"Duka borden i caféet", "Köra diskmaskinen", "Ta emot varuleveransen"}
    assert [s.text for s in stored["Duka borden i caféet"].steps] == [
        "Hämta dukarna.",
        "Lägg en duk på varje bord.",
    ]
    assert stored["Ta emot varuleveransen"].created_by_id == anna.person.id

    changed = CATALOGUE.replace("minutes: 40", "minutes: 45") + "  - title: Baka bullar\n"
    assert await upload(sandbox, people, ANNA, "Katalog.YML", changed.encode()) == (
        "Katalogen är inläst: 1 ny, 1 ändrad."
    )
    assert (await templates(running_bot))["Köra diskmaskinen"].expected_minutes == 45

    broken = CATALOGUE.replace("strain: medel", "strain: 4")
    assert await upload(sandbox, people, ANNA, "katalog.yaml", broken.encode()) == (
        "Katalogen är inte inläst. Rad 8, strain: ska vara 1, 2, 3 eller lätt, medel, tung."
    )
    syntax = await upload(sandbox, people, ANNA, "katalog.yml", b"tasks:\n  - title: [Duka\n")
    assert syntax.startswith("Katalogen är inte inläst. Rad 3: det är inte giltig YAML")
    assert len(await templates(running_bot)) == 4

    downloads = sandbox.state.counters.calls["getFile"]
    too_big = await upload(sandbox, people, ANNA, "stor.yaml", data, file_size=2_000_000)
    assert too_big == "Katalogen är inte inläst: filen är för stor (högst 1 MB)."
    assert sandbox.state.counters.calls["getFile"] == downloads  # refused before fetching


async def test_a_coworkers_yaml_file_is_a_message_for_their_support_person(
    running_bot: RunningBot, people: SandboxClient, sandbox: SandboxServer
) -> None:
    kim = await invite(running_bot.services, Role.COWORKER, "Kim")
    await join(people, KIM, "Kim", kim.code)
    downloads = sandbox.state.counters.calls["getFile"]

    reply = await upload(sandbox, people, KIM, "katalog.yaml", CATALOGUE.encode())
    assert reply == (  # no staff yet
        "Jag har sparat ditt meddelande. Just nu kan jag inte nå någon.\n"
        "Det skickas till personalen så snart någon kan ta emot det."
    )
    assert await templates(running_bot) == {}
    assert sandbox.state.counters.calls["getFile"] == downloads
    async with running_bot.services.sessions() as session:
        kept = list(await session.scalars(select(Message)))
    assert [(m.kind, m.coworker_id) for m in kept] == [("document", kim.person.id)]
