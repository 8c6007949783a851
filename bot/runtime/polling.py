"""Polling mode, Vardag's own loop: an offset is confirmed to Telegram (by asking for the
updates after it) only once the updates before it are stored in the inbox
(bot/runtime/intake.py). python-telegram-bot's Updater confirms them as soon as they are fetched,
before anything is stored, so a crash could lose what it had fetched.

The updates are fetched as Telegram sent them (JSON objects) and stored so: read once
into python-telegram-bot's objects, not read and then written back out. An update that
cannot be read is let go on its own (its content never logged), not with its batch."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import Update
from telegram.error import InvalidToken, TelegramError

from bot.runtime.intake import Intake
from bot.telegram.answering import VardagBot

log = logging.getLogger(__name__)

Received = tuple[dict[str, Any], Update]
MAX_BACKOFF_SECONDS = 30.0


async def poll(bot: VardagBot, intake: Intake, *, poll_timeout: int = 10) -> None:
    """Fetch, store, confirm, until cancelled. At a stop the last offset is not
    confirmed: those updates come again at the next start and are taken once."""
    offset: int | None = None
    backoff = 0.5
    while True:
        try:
            payloads = await bot.fetch_updates(offset, poll_timeout)
        except InvalidToken:
            raise
        except TelegramError as exc:
            log.warning("could not fetch updates (%s); trying again", type(exc).__name__)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
            continue
        backoff = 0.5
        ids = [p["update_id"] for p in payloads if isinstance(p.get("update_id"), int)]
        if ids:
            await _store_all(intake, _readable(intake, payloads))
            offset = max(ids) + 1


def _readable(intake: Intake, payloads: list[dict[str, Any]]) -> list[Received]:
    readable = []
    for payload in payloads:
        try:
            readable.append((payload, intake.parse(payload)))
        except ValueError:  # not an update we can read: let it go, without its content
            log.warning("update %s could not be read; skipped", payload.get("update_id"))
    return readable


async def _store_all(intake: Intake, received: list[Received]) -> None:
    """Store a batch in one transaction; should that fail, one by one (each waiting out a
    database that is away)."""
    if not received:
        return
    try:
        await intake.receive_all(received)
        return
    except Exception as exc:
        log.warning("could not store %s updates at once (%s)", len(received), type(exc).__name__)
    for payload, update in received:
        await _store(intake, payload, update)


async def _store(intake: Intake, payload: dict[str, Any], update: Update) -> None:
    """Store one update, waiting out a database that is away: until it is stored, its
    offset is not confirmed, so Telegram keeps it."""
    wait = 0.5
    while True:
        try:
            await intake.receive(payload, update)
            return
        except Exception as exc:
            log.warning("could not store update %s (%s)", update.update_id, type(exc).__name__)
            await asyncio.sleep(wait)
            wait = min(wait * 2, MAX_BACKOFF_SECONDS)
