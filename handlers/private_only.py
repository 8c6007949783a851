"""The door before every other: Vardag is a one-to-one service, so in any chat that is not
a private chat with one person (a group, a supergroup, a channel) it shows and changes
nothing. A command there gets one neutral line, a button a neutral alert; everything
else (messages, files, edits, membership changes) is passed over in silence.

It runs before the repeated-update check, so not even the update's id is written down."""

from __future__ import annotations

from telegram import Chat, Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, BaseHandler, TypeHandler

from handlers.common import Context, texts_for

GROUP = -200  # before handlers.dedupe (-100): nothing is written for such a chat


def is_private(update: Update) -> bool:
    """True for an update from a private chat, or one that belongs to no chat at all."""
    chat = update.effective_chat
    return chat is None or chat.type == Chat.PRIVATE


async def only_private(update: Update, context: Context) -> None:
    if is_private(update):
        return
    text = texts_for(None, update, context)("private_only")
    message = update.message
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(text, show_alert=True)
        elif message is not None and message.text and message.text.startswith("/"):
            await message.reply_text(text)
    except TelegramError:
        pass  # nothing more to say there
    raise ApplicationHandlerStop


def handler() -> BaseHandler[Update, Context, None]:
    return TypeHandler(Update, only_private)
