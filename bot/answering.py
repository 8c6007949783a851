"""The bot as the Application uses it, answering each button press once.

A press must be answered (answerCallbackQuery) within seconds, or Telegram refuses the
answer and the person's button keeps spinning. When a door takes longer than
``press_answer_seconds`` (a slow database, a slow Telegram), the inbox answers the press
without a text (bot/intake.py); the door's own answer later is then a no-op here, not an
error from Telegram. The rest of the door's work (an edited message) still arrives."""

from __future__ import annotations

from typing import Any

from telegram.ext import AIORateLimiter, ExtBot
from telegram.request import HTTPXRequest

# As python-telegram-bot's ApplicationBuilder would: many calls at once for the bot,
# one for getUpdates.
POOL_SIZE = 256


class VardagBot(ExtBot[Any]):
    __slots__ = ("_answered",)

    def __init__(self, token: str, api: str, rate_limiter: AIORateLimiter) -> None:
        super().__init__(
            token,
            base_url=f"{api}/bot",
            base_file_url=f"{api}/file/bot",
            request=HTTPXRequest(connection_pool_size=POOL_SIZE),
            get_updates_request=HTTPXRequest(connection_pool_size=1),
            rate_limiter=rate_limiter,
        )
        self._answered: set[str] = set()

    async def answer_callback_query(
        self, callback_query_id: str, *args: Any, **kwargs: Any
    ) -> bool:
        if callback_query_id in self._answered:
            return True  # answered already, when the door was slow
        self._answered.add(callback_query_id)
        try:
            return await super().answer_callback_query(callback_query_id, *args, **kwargs)
        except BaseException:
            self._answered.discard(callback_query_id)
            raise

    def forget_answer(self, callback_query_id: str) -> None:
        """The press's update is done: nothing will answer it again."""
        self._answered.discard(callback_query_id)
