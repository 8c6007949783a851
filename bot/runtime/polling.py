"""Polling mode, Vardag's own loop: an offset is confirmed to Telegram (by asking for the
updates after it) only once the updates before it are stored in the inbox
(bot/runtime/intake.py). python-telegram-bot's Updater confirms them as soon as they are fetched,
before anything is stored, so a crash could lose what it had fetched."""

from __future__ import annotations

import asyncio
import logging

from telegram import Bot, Update
from telegram.error import InvalidToken, TelegramError

from bot.runtime.intake import Intake

log = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 30.0


async def poll(bot: Bot, intake: Intake, *, poll_timeout: int = 10) -> None:
    """Fetch, store, confirm, until cancelled. At a stop the last offset is not
    confirmed: those updates come again at the next start and are taken once."""
    offset: int | None = None
    backoff = 0.5
    while True:
        try:
            updates = await bot.get_updates(
                offset=offset, timeout=poll_timeout, allowed_updates=Update.ALL_TYPES
            )
        except InvalidToken:
            raise
        except TelegramError as exc:
            log.warning("could not fetch updates (%s); trying again", type(exc).__name__)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
            continue
        backoff = 0.5
        if updates:
            await _store_all(intake, updates)
            offset = updates[-1].update_id + 1


async def _store_all(intake: Intake, updates: tuple[Update, ...]) -> None:
    """Store a batch in one transaction; should that fail, one by one (each waiting out a
    database that is away, and an update that cannot be read let go)."""
    try:
        await intake.receive_all([(update.to_dict(), update) for update in updates])
        return
    except Exception as exc:
        log.warning("could not store %s updates at once (%s)", len(updates), type(exc).__name__)
    for update in updates:
        await _store(intake, update)


async def _store(intake: Intake, update: Update) -> None:
    """Store one update, waiting out a database that is away: until it is stored, its
    offset is not confirmed, so Telegram keeps it."""
    wait = 0.5
    while True:
        try:
            await intake.receive(update.to_dict(), update)
            return
        except ValueError:  # not an update we can read: let it go, without its content
            log.warning("update %s could not be read; skipped", update.update_id)
            return
        except Exception as exc:
            log.warning("could not store update %s (%s)", update.update_id, type(exc).__name__)
            await asyncio.sleep(wait)
            wait = min(wait * 2, MAX_BACKOFF_SECONDS)
