"""The bot's public username, for t.me deep links."""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.error import TelegramError

from bot.config import ConfigError, Settings

log = logging.getLogger(__name__)


async def bot_username(settings: Settings) -> str | None:
    """``VARDAG_BOT_USERNAME`` if set, else asked of the Bot API with the token, else None."""
    if settings.bot_username:
        return settings.bot_username.removeprefix("@")
    try:
        token = settings.require_token()
    except ConfigError:
        return None
    try:
        async with Bot(token, base_url=f"{settings.bot_api_url}/bot") as bot:
            return bot.username
    except (TelegramError, OSError) as exc:
        log.warning("could not ask the Bot API for the bot's name: %s", type(exc).__name__)
        return None


def deep_link(username: str, code: str) -> str:
    return f"https://t.me/{username}?start={code}"
