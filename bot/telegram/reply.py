"""Answering a person with what a view rendered: in place of the message whose button they
pressed, or as a new message in their chat. Every door answers through these."""

from __future__ import annotations

import logging

from telegram import Bot, CallbackQuery, Message, Update
from telegram.error import BadRequest

from bot.telegram.rendered import Rendered

log = logging.getLogger(__name__)


async def reply(update: Update, rendered: Rendered) -> None:
    """Answer a step: after a press, answer it and edit the pressed message; after a
    message, send a new one to the chat."""
    query = update.callback_query
    if query is not None:
        await query.answer()
        await edit(query, rendered)
    else:
        await say(update, rendered)


async def edit(
    query: CallbackQuery,
    rendered: Rendered,
    *,
    buttons_only: bool = False,
    skip_failed: bool = False,
) -> None:
    """Put ``rendered`` in place of the pressed message (only its buttons, with
    ``buttons_only``). With ``skip_failed`` an edit Telegram refuses (the message already
    shows this after a double press, or is too old to edit) is logged and skipped."""
    try:
        if buttons_only:
            await query.edit_message_reply_markup(reply_markup=rendered.markup())
        else:
            await query.edit_message_text(rendered.text, reply_markup=rendered.markup())
    except BadRequest as exc:
        if not skip_failed:
            raise
        log.info("edit skipped: %s", exc.message)


async def say(update: Update, rendered: Rendered) -> None:
    """A new message in the update's chat."""
    if update.effective_chat is not None:
        await update.effective_chat.send_message(rendered.text, reply_markup=rendered.markup())


async def send(bot: Bot, chat_id: int, rendered: Rendered) -> Message:
    """A new message in ``chat_id``; the message sent."""
    return await bot.send_message(chat_id, rendered.text, reply_markup=rendered.markup())


async def answer(update: Update, rendered: Rendered) -> None:
    """A reply to the person's own message (a command's answer)."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(rendered.text, reply_markup=rendered.markup())
