"""A message as the views build it: HTML text plus inline buttons, storable as JSON.

The text is ``Markup`` (built with ``bot.i18n.Texts`` and ``markupsafe``), so a raw
``str`` cannot be passed in without mypy noticing; button labels are plain text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import plain
from bot.telegram.callbacks import Callback


@dataclass(frozen=True)
class Button:
    label: str  # a Markup label (from Texts) is shown unescaped: buttons are plain text
    callback: Callback

    @property
    def text(self) -> str:
        return plain(self.label)


@dataclass(frozen=True)
class Rendered:
    text: Markup
    rows: list[list[Button]] = field(default_factory=list)

    def markup(self) -> InlineKeyboardMarkup | None:
        if not self.rows:
            return None
        return InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(b.text, callback_data=b.callback.encode()) for b in row]
                for row in self.rows
            ]
        )

    def payload(self) -> dict[str, Any]:
        """JSON for the outbox (sent by :func:`bot.outbox.delivery.send_payload`)."""
        return {
            "text": self.text,
            "buttons": [[[b.text, b.callback.encode()] for b in row] for row in self.rows],
        }
