"""``vardag demo`` and ``vardag sandbox …``: the local demo, and acting as one of its people.

The demo and the sandbox are imported only when one of these commands runs, so that
``vardag run`` and every other command start without them.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from bot.cli.runner import load

sandbox_app = typer.Typer(no_args_is_help=True, help="Act as a person in the running demo.")

Url = Annotated[str, typer.Option(help="The demo sandbox's address")]
DEFAULT_URL = "http://127.0.0.1:8081"


def demo(
    port: Annotated[int, typer.Option(help="Port of the local sandbox")] = 8081,
    database: Annotated[str, typer.Option(help="SQLite file for the demo")] = "vardag-demo.sqlite",
) -> None:
    """Start a local Telegram sandbox and the bot with a demo group, until Ctrl-C."""
    from bot.demo.run import run_demo

    load()
    asyncio.run(run_demo(port=port, database=database))


@sandbox_app.command()
def show(name: str, url: Url = DEFAULT_URL, last: int = 5) -> None:
    """Show the last messages in a person's chat with the bot."""
    from bot.demo import act

    for text in asyncio.run(act.show(name, url, last)):
        typer.echo(text)


@sandbox_app.command()
def say(name: str, text: str, url: Url = DEFAULT_URL) -> None:
    """Send a text (or a /command) as the person."""
    from bot.demo import act

    asyncio.run(act.say(name, text, url))


@sandbox_app.command()
def press(name: str, label: str, url: Url = DEFAULT_URL) -> None:
    """Press the button with this label on the newest message that has it."""
    from bot.demo import act

    asyncio.run(act.press(name, label, url))
