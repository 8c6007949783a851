"""Each role's command menu, in the person's language."""

from __future__ import annotations

from telegram import BotCommand

from bot.i18n import Texts
from storage.models import Role

COWORKER_COMMANDS = ("today", "week", "history", "people", "settings")
STAFF_COMMANDS = (
    "team",
    "plan",
    "add",
    "repeat",
    "send",
    "broadcast",
    "newtask",
    "invite",
    "group",
    "contacts",
    "duty",
    "away",
    "back",
    "rota",
    "continuity",
    "settings",
)


def commands_for(role: Role, t: Texts) -> list[BotCommand]:
    names = COWORKER_COMMANDS if role is Role.COWORKER else STAFF_COMMANDS
    return [BotCommand(name, t(f"command.{name}")) for name in names]
