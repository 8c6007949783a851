"""The bot as the Application uses it, answering each button press once.

A press must be answered (answerCallbackQuery) within seconds, or Telegram refuses the
answer and the person's button keeps spinning. When a door takes longer than
``press_answer_seconds`` (a slow database, a slow Telegram), the inbox answers the press
without a text (bot/runtime/intake.py); the door's own answer later is then a no-op here, not an
error from Telegram. The rest of the door's work (an edited message) still arrives, also
when Telegram refuses an answer as too late (or given already, by another instance)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import BaseRateLimiter, Defaults, ExtBot

from bot.telegram.transport import AiohttpRequest

log = logging.getLogger(__name__)

# Telegram's answer to a press answered twice, or too late.
TOO_LATE = "query is too old"

# As python-telegram-bot's ApplicationBuilder would: many calls at once for the bot,
# one for getUpdates (over aiohttp, bot/telegram/transport.py).
POOL_SIZE = 256


class VardagBot(ExtBot[Any]):
    __slots__ = ("_answered", "_polling")

    def __init__(
        self, token: str, api: str, rate_limiter: BaseRateLimiter[int], defaults: Defaults
    ) -> None:
        super().__init__(
            token,
            defaults=defaults,
            base_url=f"{api}/bot",
            base_file_url=f"{api}/file/bot",
            request=AiohttpRequest(pool_size=POOL_SIZE),
            get_updates_request=(polling := AiohttpRequest(pool_size=1)),
            rate_limiter=rate_limiter,
        )
        self._answered: set[str] = set()
        self._polling = polling

    async def answer_callback_query(
        self, callback_query_id: str, *args: Any, **kwargs: Any
    ) -> bool:
        if callback_query_id in self._answered:
            return True  # answered already, when the door was slow
        self._answered.add(callback_query_id)
        try:
            return await super().answer_callback_query(callback_query_id, *args, **kwargs)
        except BadRequest as exc:
            if TOO_LATE not in exc.message.lower():
                self._answered.discard(callback_query_id)
                raise
            # Answered already (by another instance) or too late: the door's work, an
            # edited list, a note to staff, still matters, so it goes on.
            log.info("a press could no longer be answered")
            return False
        except BaseException:
            self._answered.discard(callback_query_id)
            raise

    async def _post(self, endpoint: str, *args: Any, **kwargs: Any) -> Any:
        result = await super()._post(endpoint, *args, **kwargs)
        if endpoint.startswith("edit") and isinstance(result, dict):
            # Vardag never reads what an edit returns (the message as edited), and
            # reading it into python-telegram-bot's objects cost a fifth of a millisecond
            # an edit: True is what Telegram itself answers for some edits.
            return True
        return result

    async def fetch_updates(self, offset: int | None, wait: int) -> list[dict[str, Any]]:
        """getUpdates, its answer as Telegram sent it (JSON objects, not yet read into
        python-telegram-bot's): stored so in the inbox (bot/runtime/polling.py)."""
        asked = {"offset": offset, "timeout": wait, "allowed_updates": Update.ALL_TYPES}
        read_timeout = wait + (self._polling.read_timeout or 0)  # as get_updates does
        fetched = await self._post("getUpdates", asked, read_timeout=read_timeout)
        return [p for p in fetched if isinstance(p, dict)] if isinstance(fetched, list) else []

    def forget_answer(self, callback_query_id: str) -> None:
        """The press's update is done: nothing will answer it again."""
        self._answered.discard(callback_query_id)


class PressClocks:
    """A press is answered within ``budget`` seconds of its arrival at this instance,
    whatever holds up its door: one clock a press, stopped when its update is done.

    A clock is a timer of the loop's (no task of its own: most are stopped, unrung, a
    few milliseconds later); only a clock that rings starts a task, to answer."""

    def __init__(self, bot: Any, budget: float, forget_after: float) -> None:
        self._bot = bot
        self._budget = budget
        self._forget_after = forget_after
        self._clocks: dict[str, asyncio.TimerHandle | asyncio.Task[None]] = {}
        self.late = 0  # presses answered by their clock (the benchmark counts them)

    def start(self, query_id: str) -> None:
        if query_id not in self._clocks:
            loop = asyncio.get_running_loop()
            self._clocks[query_id] = loop.call_later(self._budget, self._ring, query_id)

    def stop(self, query_id: str) -> None:
        clock = self._clocks.pop(query_id, None)
        if clock is not None:
            clock.cancel()
        self._forget(query_id)

    def stop_all(self) -> None:
        for query_id in list(self._clocks):
            self.stop(query_id)

    def _forget(self, query_id: str) -> None:
        if isinstance(self._bot, VardagBot):
            self._bot.forget_answer(query_id)

    def _ring(self, query_id: str) -> None:
        self.late += 1
        self._clocks[query_id] = asyncio.create_task(self._answer_late(query_id))

    async def _answer_late(self, query_id: str) -> None:
        try:
            await self._bot.answer_callback_query(query_id)
        except Exception as exc:
            log.warning("could not answer a slow press: %s", type(exc).__name__)
        # Processed by another instance (or not yet): forget it after a while.
        await asyncio.sleep(self._forget_after)
        self._clocks.pop(query_id, None)
        self._forget(query_id)
