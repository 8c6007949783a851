"""One real journey through every layer: command line → invite → /start → plan →
the scheduler's morning delivery → "Done" → the database and the message agree."""

from __future__ import annotations

import asyncio
import re
from datetime import time

from sqlalchemy import select
from typer.testing import CliRunner

from bot.cli.main import app as cli
from bot.rules.localtime import local_moment
from bot.sandbox.client import SandboxClient
from bot.sandbox.server import SandboxServer
from bot.services.planning import plans as planning
from storage.models import PlannedTask, Role, TaskStatus, TaskTemplate, TemplateStep
from storage.repos.organisation import persons_named
from tests.conftest import Database
from tests.e2e.conftest import RunningBot, cli_env
from tests.e2e.helpers import sent_and_recorded

KIM, EVE = 1001, 6666
STRANGER_LINE = (
    "Den här boten är för personer i Vardags arbetsträning. Be din stödperson om en länk."
)


def invite_on_command_line(database: Database, sandbox: SandboxServer) -> tuple[str, str]:
    result = CliRunner().invoke(
        cli, ["invite", "--role", "coworker", "--name", "Kim"], env=cli_env(database, sandbox)
    )
    assert result.exit_code == 0, result.output
    link = re.search(r"https://t\.me/VardagTestBot\?start=([A-Za-z0-9_-]+)", result.output)
    code = re.search(r"Kod: ([A-Za-z0-9_-]+)", result.output)
    assert link is not None and code is not None, result.output
    assert link.group(1) == code.group(1)
    return link.group(0), code.group(1)


async def plan_watering_today(bot: RunningBot) -> None:
    services = bot.services
    async with services.sessions.begin() as session:
        (kim,) = await persons_named(session, "Kim")
        template = TaskTemplate(
            title="Vattna blommorna",
            instructions="Blommorna står i fönstren.",
            goal="Blommorna mår bra.",
            created_at=services.now(),
            steps=[
                TemplateStep(position=1, text="Hämta kannan."),
                TemplateStep(position=2, text="Vattna varje kruka."),
            ],
            attachments=[],
        )
        session.add(template)
        await session.flush()
        await planning.add_task(
            services, session, coworker=kim, template=template, day=services.today()
        )


async def test_the_whole_day_end_to_end(
    running_bot: RunningBot, people: SandboxClient, sandbox: SandboxServer, database: Database
) -> None:
    link, code = await asyncio.to_thread(invite_on_command_line, database, sandbox)
    assert link.endswith(code)

    await people.add_user(KIM, "Kim")
    await people.send_text(KIM, f"/start {code}")
    question = await people.wait_for(KIM, lambda m: m.text.startswith("Vilket språk"))
    greeting, *_ = await people.bot_messages(KIM)
    assert greeting.text.startswith("Hej Kim! Välkommen till Vardag.")
    assert "Varje morgon får du dagens uppgifter här." in greeting.text
    assert question.buttons() == ["Svenska", "English"]

    await people.press(KIM, question.message_id, text="Svenska")
    when = await people.wait_for(KIM, lambda m: m.text.startswith("När vill du få din lista"))
    assert when.buttons() == ["07:00", "07:30", "08:00", "08:30", "09:00"]
    await people.press(KIM, when.message_id, text="08:00")
    await people.wait_for(
        KIM, lambda m: m.text == "Bra! Din lista kommer klockan 08:00 på morgonen."
    )
    commands = await people.commands()
    assert any(
        [c["command"] for c in entry["commands"]]
        == ["today", "week", "history", "people", "settings"]
        for entry in commands
    ), commands

    await plan_watering_today(running_bot)
    before = [m.text for m in await people.bot_messages(KIM)]
    await asyncio.sleep(0.5)  # several scheduler ticks: the morning has not come yet
    assert [m.text for m in await people.bot_messages(KIM)] == before

    running_bot.clock.set(
        local_moment(running_bot.services.today(), time(8, 0, 1), running_bot.services.zone)
    )
    morning = await people.wait_for(KIM, lambda m: m.text.startswith("God morgon Kim!"))
    await sent_and_recorded(running_bot.services, KIM, morning.message_id)
    assert morning.text.startswith("God morgon Kim! Idag är det tisdag 24 november.")
    assert "1. Vattna blommorna (ny)" in morning.text
    assert morning.buttons() == ["1. Vattna blommorna", "🙋 Jag behöver hjälp"]

    await people.press(KIM, morning.message_id, text="1. Vattna blommorna")
    card = await people.wait_for(KIM, lambda m: m.text.startswith("Vattna blommorna"))
    assert "1. Hämta kannan." in card.text and "Målet: Blommorna mår bra." in card.text
    assert card.buttons() == [
        "☐ 1. Hämta kannan.",
        "☐ 2. Vattna varje kruka.",
        "✅ Klar",
        "🙋 Jag behöver hjälp",
        "⏰ Senare",
        "🌙 Inte idag",
    ]

    for step, (label, progress) in enumerate(
        [
            ("☐ 1. Hämta kannan.", "Du har gjort 1 av 2 steg."),
            ("☐ 2. Vattna varje kruka.", "Alla steg är gjorda."),
        ],
        start=1,
    ):
        await people.press(KIM, card.message_id, text=label)
        await people.wait_for(
            KIM,
            lambda m, p=progress, n=step: (
                m.message_id == card.message_id and m.edited >= n and p in m.text
            ),
        )
    await people.press(KIM, card.message_id, text="✅ Klar")
    done_card = await people.wait_for(
        KIM, lambda m: m.message_id == card.message_id and "Klart! Bra jobbat." in m.text
    )
    assert done_card.buttons() == []
    updated_list = await people.wait_for(
        KIM, lambda m: m.message_id == morning.message_id and m.edited > 0
    )
    assert "✅ 1. Vattna blommorna" in updated_list.text
    assert "Allt är klart för idag. Bra jobbat!" in updated_list.text

    async with running_bot.services.sessions() as session:
        task = await session.scalar(select(PlannedTask))
    assert task is not None and task.status is TaskStatus.DONE and task.done_at is not None


async def test_a_used_code_and_a_stranger_get_one_polite_line(
    running_bot: RunningBot, people: SandboxClient, sandbox: SandboxServer, database: Database
) -> None:
    _, code = await asyncio.to_thread(invite_on_command_line, database, sandbox)
    await people.add_user(KIM, "Kim")
    await people.send_text(KIM, f"/start {code}")
    await people.wait_for(KIM, lambda m: m.from_bot)

    await people.add_user(EVE, "Eve")
    await people.send_text(EVE, f"/start {code}")
    refusal = await people.wait_for(EVE, lambda m: m.from_bot)
    assert refusal.text == STRANGER_LINE and refusal.buttons() == []
    await people.send_text(EVE, "hej, vad är det här?")
    await people.wait_for(EVE, lambda m: m.from_bot and m.message_id != refusal.message_id)
    await asyncio.sleep(0.3)
    assert [m.text for m in await people.bot_messages(EVE)] == [STRANGER_LINE, STRANGER_LINE]

    async with running_bot.services.sessions() as session:
        staff_and_coworkers = await persons_named(session, "Kim")
    assert [p.telegram_user_id for p in staff_and_coworkers] == [KIM]
    assert staff_and_coworkers[0].role is Role.COWORKER


async def test_a_stranger_sees_the_default_menu_in_each_language(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    """The menu for everyone who has not joined yet is set when the bot starts."""
    menus = {
        entry["language_code"]: [(c["command"], c["description"]) for c in entry["commands"]]
        for entry in await people.commands()
        if entry["scope"] == {"type": "default"}
    }
    assert menus == {"": [("today", "Dagens lista")], "en": [("today", "Today's list")]}
