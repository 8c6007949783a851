"""What the clock's jobs share."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Coroutine
from typing import Any, cast

from sqlalchemy.exc import DBAPIError, OperationalError
from telegram.error import TelegramError

from bot.context import Services
from bot.outbox.sender import OutboxSender
from bot.telegram.context import SERVICES, VardagContext

Context = VardagContext


def services_of(context: Context) -> Services:
    # Read from bot_data, not context.services: a test may run a job with any object
    # that has the application's bot_data.
    return cast(Services, context.application.bot_data[SERVICES])


def sender_of(context: Context) -> OutboxSender:
    return context.sender


Job = Callable[[Context], Coroutine[Any, Any, None]]
log = logging.getLogger(__name__)
# Failures of the world outside (the database, the network, Telegram): one line, no trace.
OUTSIDE = (DBAPIError, OperationalError, OSError, TimeoutError, TelegramError)


def logged_once(job: Job) -> Job:
    """Run ``job``; a failure is logged as one line naming the job and the kind of error,
    and again only when the kind changes (a job runs every few seconds: a database that
    is down must not fill the log with tracebacks, nor show as an update's error)."""
    last: list[str] = []

    @functools.wraps(job)
    async def run(context: Context) -> None:
        try:
            await job(context)
        except Exception as error:
            kind = type(error).__name__
            if last != [kind]:
                log.warning(
                    "job %s failed (%s); it runs again at its next tick",
                    job.__name__, kind, exc_info=not isinstance(error, OUTSIDE),
                )  # fmt: skip
            last[:] = [kind]
        else:
            if last:
                log.warning("job %s works again", job.__name__)
            last.clear()

    return run
