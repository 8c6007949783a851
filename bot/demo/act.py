"""Acting as one of the demo's people against a running demo (``vardag sandbox …``)."""

from __future__ import annotations

from bot.config import ConfigError, load_settings
from bot.demo.seed import PEOPLE
from bot.i18n import Texts
from bot.sandbox.client import SandboxClient, SandboxMessage


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


async def show(name: str, url: str, last: int) -> list[str]:
    """The last messages in a person's chat with the bot, as text."""
    async with SandboxClient(url) as client:
        messages = await client.messages(_user_id(name))
    return [_show(message) for message in messages[-last:]]


async def say(name: str, text: str, url: str) -> None:
    """Send a text (or a /command) as the person."""
    async with SandboxClient(url) as client:
        await client.send_text(_user_id(name), text)


async def press(name: str, label: str, url: str) -> None:
    """Press the button with this label on the newest message that has it."""
    user = _user_id(name)
    async with SandboxClient(url) as client:
        for message in reversed(await client.bot_messages(user)):
            if label in message.buttons():
                await client.press(user, message.message_id, text=label)
                return
    raise ConfigError(_texts()("act.no_button", label=label, name=name))
