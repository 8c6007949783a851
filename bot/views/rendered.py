"""A message as the views build it: HTML text plus inline buttons, storable as JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
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


async def send_payload(
    bot: Bot, chat_id: int, payload: dict[str, Any], *, read_timeout: float | None = None
) -> int:
    """Send what :meth:`Rendered.payload` stored, or copy the message a ``copy`` payload
    names (any kind: text, voice, photo …); the id of the message sent. ``read_timeout``:
    how long to wait for Telegram's answer (python-telegram-bot's default when None)."""
    copy = payload.get("copy")
    if copy is not None:
        copied = await bot.copy_message(
            chat_id, copy["from_chat_id"], copy["message_id"], read_timeout=read_timeout
        )
        return copied.message_id
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
    message = await bot.send_message(
        chat_id,
        payload["text"],
        parse_mode=ParseMode.HTML,
        reply_markup=markup,
        read_timeout=read_timeout,
    )
    return message.message_id


def copy_payload(from_chat_id: int, message_id: int) -> dict[str, Any]:
    """An outbox payload that copies a person's message (see :func:`send_payload`)."""
    return {"copy": {"from_chat_id": from_chat_id, "message_id": message_id}}
