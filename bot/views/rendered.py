"""A message as the views build it: HTML text plus inline buttons, storable as JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.constants import ParseMode

from bot.callbacks import Callback


@dataclass(frozen=True)
class Button:
    label: str
    callback: Callback


@dataclass(frozen=True)
class Rendered:
    text: str
    rows: list[list[Button]] = field(default_factory=list)

    def markup(self) -> InlineKeyboardMarkup | None:
        if not self.rows:
            return None
        return InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(b.label, callback_data=b.callback.encode()) for b in row]
                for row in self.rows
            ]
        )

    def payload(self) -> dict[str, Any]:
        """JSON for the outbox."""
        return {
            "text": self.text,
            "buttons": [[[b.label, b.callback.encode()] for b in row] for row in self.rows],
        }


async def send_payload(bot: Bot, chat_id: int, payload: dict[str, Any]) -> Message:
    """Send what :meth:`Rendered.payload` stored."""
    rows = payload.get("buttons") or []
    markup = (
        InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(label, callback_data=data) for label, data in row]
                for row in rows
            ]
        )
        if rows
        else None
    )
    return await bot.send_message(
        chat_id, payload["text"], parse_mode=ParseMode.HTML, reply_markup=markup
    )
