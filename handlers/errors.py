"""The last door: an error in a handler is logged (without content) and the person told."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot.logs import stack_without_values
from bot.telegram.intake_scope import SCOPE
from handlers.common import Context, texts_for

log = logging.getLogger(__name__)


async def on_error(update: object, context: Context) -> None:
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    scope = SCOPE.get()
    if scope is not None:
        scope.errors += 1  # the person is told below; the update is done, not retried
    # Only the kind of error and where: never the update's text, never the token, never
    # the error's own message (it may quote a value).
    if error is not None and not isinstance(error, TelegramError):
        log.error(
            "error handling update %s: %s\n%s",
            update_id,
            type(error).__name__,
            stack_without_values(error),
        )
    else:
        log.error("error handling update %s: %s", update_id, type(error).__name__)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    text = texts_for(None, update, context)("error.try_again")
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(text, show_alert=True)
        else:
            await context.bot.send_message(update.effective_chat.id, text)
    except TelegramError:
        log.warning("could not tell update %s about the error", update_id)
