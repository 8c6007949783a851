"""The inbox's bookkeeping of one update: keeping its lease while it is processed,
giving it back to be tried again, and telling a person whose update was given up."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot, Update

from bot.context import Services
from bot.i18n import Texts
from bot.telegram.chat_state import ChatState, key_of, restore
from bot.telegram.intake_scope import Asking, first_lease
from storage.repos import conversations as conversations_repo
from storage.repos import inbox as inbox_repo
from storage.repos import people as people_repo

log = logging.getLogger(__name__)


async def tell_given_up(bot: Bot, services: Services, given_up: list[Update]) -> None:
    for update in given_up:
        await _say_given_up(bot, services, update)


async def _say_given_up(bot: Bot, services: Services, update: Update) -> None:
    """The person is told that what they sent did not go through (never silence)."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None:
        return
    code = ((user.language_code if user else None) or "")[:2]
    t = Texts(code if code == "en" else services.settings.language)
    try:
        await bot.send_message(chat.id, t("error.try_again"))
    except Exception as exc:
        log.warning("could not tell the sender of %s: %s", update.update_id, type(exc).__name__)


class Renewal:
    """Keeps an update's lease while it is processed: renewed to the whole lease after a
    third of the first (short) lease it was taken for, then every third of the lease.

    A timer of the loop, not a task: nearly every update is done long before the first
    renewal, and a task made and cancelled for each was a measurable part of a press's
    CPU. Only a timer that rings starts a task, to renew and set the timer again."""

    def __init__(self, services: Services, update_id: int, token: str, lease: timedelta) -> None:
        self._services, self._update_id, self._token = services, update_id, token
        self._lease = lease
        self._loop = asyncio.get_running_loop()
        self._timer = self._loop.call_later(first_lease(lease).total_seconds() / 3, self._ring)
        self._renewing: asyncio.Task[None] | None = None
        self._stopped = False

    def stop(self) -> None:
        self._stopped = True
        self._timer.cancel()
        if self._renewing is not None:
            self._renewing.cancel()

    def _ring(self) -> None:
        self._renewing = asyncio.create_task(self._renew())

    async def _renew(self) -> None:
        with contextlib.suppress(Exception):  # the next ring tries again
            async with self._services.sessions.begin() as session:
                until = self._services.now() + self._lease
                await inbox_repo.renew(session, self._update_id, self._token, until)
        if not self._stopped:
            self._timer = self._loop.call_later(self._lease.total_seconds() / 3, self._ring)


async def give_back(
    services: Services, claimed: inbox_repo.Claimed, token: str, most_seconds: float
) -> None:
    wait = min(2.0**claimed.attempts, most_seconds)
    log.warning("update %s will be tried again in %.0f s", claimed.update_id, wait)
    with contextlib.suppress(Exception):  # otherwise its lease runs out: the same
        async with services.sessions.begin() as session:
            at = services.now() + timedelta(seconds=wait)
            await inbox_repo.retry_at(session, claimed.update_id, token, at)


async def release(services: Services, claimed: inbox_repo.Claimed, token: str) -> None:
    """Give the update back untried, to be taken at once (by the next instance)."""
    with contextlib.suppress(Exception):  # otherwise its first lease runs out: the same
        async with services.sessions.begin() as session:
            await inbox_repo.release(session, claimed.update_id, token)


async def what_doors_need(
    session: AsyncSession, update: Update, now: datetime
) -> tuple[ChatState | None, Asking | None]:
    """The chat's conversation state and the sender, read as the update is taken."""
    key, user = key_of(update), update.effective_user
    if user is None or user.is_bot:  # no person asks
        stored = None if key is None else await conversations_repo.load(session, *key)
        return (None if key is None else restore(*key, stored, now)), None
    if key is None:
        return None, Asking(await people_repo.by_telegram_id(session, user.id))
    person, stored = await conversations_repo.sender_and_state(session, *key)  # nearly all
    return restore(*key, stored, now), Asking(person)


async def record_done(
    session: AsyncSession,
    claimed: inbox_repo.Claimed,
    token: str,
    now: datetime,
    outcome: str,
    state: ChatState | None,
) -> inbox_repo.Finished:
    """Mark the update done with the conversation state it left (not when it was no
    longer this instance's: taken over)."""
    finished = await inbox_repo.finish(session, claimed.update_id, token, now, outcome)
    if finished.mine and state is not None:
        write, dumped = state.to_store()
        if write:
            await conversations_repo.save(session, state.chat_id, state.user_id, dumped, now)
    return finished
