"""Calls start-up can do without (the command menus, registering the webhook): tried
once in line, and when Telegram fails them, again in the background with back-off (2, 4,
8 … s, at most 5 min) until it takes them, so such a failure never stops ``vardag run``.
Only the token check (getMe, in ``Application.initialize``) stops start-up.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram.error import BadRequest, TelegramError

log = logging.getLogger(__name__)

FIRST_RETRY_SECONDS = 2.0
MAX_RETRY_SECONDS = 300.0
BACKGROUND = "background_tasks"  # the tasks, in the Application's bot_data

Call = Callable[[], Awaitable[object]]


async def now_or_later(application: Any, what: str, call: Call) -> None:
    """``call`` now; when Telegram fails it, again in the background until it works.
    ``what`` names it in the log ("setting the command menus")."""
    try:
        await call()
        return
    except BadRequest as error:  # will never succeed: say so once
        log.warning("%s was refused (%s)", what, error.message)
        return
    except TelegramError as error:
        log.warning("%s failed (%s); trying again in the background", what, type(error).__name__)
    task = asyncio.create_task(until_done(what, call), name=what)
    tasks: set[asyncio.Task[None]] = application.bot_data.setdefault(BACKGROUND, set())
    tasks.add(task)
    task.add_done_callback(tasks.discard)


async def until_done(what: str, call: Call) -> None:
    wait = FIRST_RETRY_SECONDS
    while True:
        await asyncio.sleep(wait)
        try:
            await call()
        except BadRequest as error:
            log.warning("%s was refused (%s)", what, error.message)
            return
        except TelegramError as error:
            wait = min(wait * 2, MAX_RETRY_SECONDS)
            log.warning("%s failed (%s); trying again in %.0f s", what, type(error).__name__, wait)
        else:
            log.warning("%s worked at last", what)
            return


async def stop_background(application: Any) -> None:
    """Cancel what is still being tried (the runner calls it on the way out)."""
    tasks: set[asyncio.Task[None]] = application.bot_data.get(BACKGROUND, set())
    for task in list(tasks):
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
