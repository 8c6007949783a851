"""What the clock's jobs share."""

from __future__ import annotations

from typing import cast

from telegram.ext import ContextTypes

from bot.services.context import Services
from bot.services.sender import OutboxSender

Context = ContextTypes.DEFAULT_TYPE


def services_of(context: Context) -> Services:
    return cast(Services, context.application.bot_data["services"])


def sender_of(context: Context) -> OutboxSender:
    return cast(OutboxSender, context.application.bot_data["sender"])
