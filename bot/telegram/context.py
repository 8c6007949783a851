"""The context every door and job is given (python-telegram-bot's ``ContextTypes``, as in
its ``contexttypesbot`` example): typed access to what the application holds for them.

``bot_data`` holds the services and the outbox sender (set in bot/runtime/app.py); a
person's ``user_data`` (their stored state, bot/telegram/chat_state.py) holds the draft of
the conversation they are in. The types are named for mypy only: the Telegram edge does
not import the services at run time."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from bot.telegram.chat_state import DRAFT, StatefulContext

if TYPE_CHECKING:
    from bot.context import Services
    from bot.outbox.sender import OutboxSender

SERVICES = "services"  # bot_data: the Services object
SENDER = "sender"  # bot_data: the OutboxSender


class VardagContext(StatefulContext):
    """A handler's or a job's context, with typed access to Vardag's own parts."""

    @property
    def services(self) -> Services:
        return cast("Services", self.application.bot_data[SERVICES])

    @property
    def sender(self) -> OutboxSender:
        return cast("OutboxSender", self.application.bot_data[SENDER])

    @property
    def draft(self) -> dict[str, object]:
        """What the person's current conversation has gathered so far (in their ``user_data``)."""
        assert self.user_data is not None, "only an update from a person has a draft"
        draft: dict[str, object] = self.user_data.setdefault(DRAFT, {})
        return draft
