"""``vardag sandbox …``: act as one of the demo's people against a running demo."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from bot.config import ConfigError, load_settings
from bot.demo.seed import PEOPLE
from bot.i18n import Texts
from bot.sandbox.client import SandboxClient, SandboxMessage

app = typer.Typer(no_args_is_help=True, help="Act as a person in the running demo.")

Url = Annotated[str, typer.Option(help="The demo sandbox's address")]
DEFAULT_URL = "http://127.0.0.1:8081"


def _user_id(name: str) -> int:
    for person in PEOPLE:
        if person.key == name.lower():
            return person.telegram_id
    known = ", ".join(p.key for p in PEOPLE)
    raise ConfigError(_texts()("act.unknown_person", name=name, known=known))


def _texts() -> Texts:
    return Texts(load_settings().language)


def _show(message: SandboxMessage) -> str:
    who = _texts()("act.bot" if message.from_bot else "act.you")
    lines = [
        f"[{message.message_id}] {who}:",
        *("    " + line for line in message.text.splitlines()),
    ]
    lines += [f"    [ {label} ]" for label in message.buttons()]
    return "\n".join(lines)


@app.command()
def show(name: str, url: Url = DEFAULT_URL, last: int = 5) -> None:
    """Show the last messages in a person's chat with the bot."""

    async def _run() -> list[SandboxMessage]:
        async with SandboxClient(url) as client:
            return await client.messages(_user_id(name))

    for message in asyncio.run(_run())[-last:]:
        typer.echo(_show(message))


@app.command()
def say(name: str, text: str, url: Url = DEFAULT_URL) -> None:
    """Send a text (or a /command) as the person."""

    async def _run() -> None:
        async with SandboxClient(url) as client:
            await client.send_text(_user_id(name), text)

    asyncio.run(_run())


@app.command()
def press(name: str, label: str, url: Url = DEFAULT_URL) -> None:
    """Press the button with this label on the newest message that has it."""

    async def _run() -> None:
        user = _user_id(name)
        async with SandboxClient(url) as client:
            for message in reversed(await client.bot_messages(user)):
                if label in message.buttons():
                    await client.press(user, message.message_id, text=label)
                    return
        raise ConfigError(_texts()("act.no_button", label=label, name=name))

    asyncio.run(_run())
