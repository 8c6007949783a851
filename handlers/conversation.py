"""Short button conversations (``/invite``, ``/contacts``) share their set-up here."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

from telegram import Update
from telegram.ext import BaseHandler, ConversationHandler
from telegram.warnings import PTBUserWarning

from bot.i18n import Texts
from bot.views.rendered import Rendered
from handlers.common import Context, who_is_asking

TIMEOUT_SECONDS = 600
DRAFT = "draft"  # what a conversation has gathered so far, in the person's user_data

StateHandlers = dict[object, list[BaseHandler[Update, Context, object]]]


def conversation(
    entry: BaseHandler[Update, Context, object] | Sequence[BaseHandler[Update, Context, object]],
    states: StateHandlers,
    fallbacks: Sequence[BaseHandler[Update, Context, object]],
) -> ConversationHandler[Context]:
    with warnings.catch_warnings():
        # PTB warns that buttons are tracked per chat, not per message: that is what we want,
        # one conversation per person at a time.
        warnings.simplefilter("ignore", PTBUserWarning)
        return ConversationHandler(
            entry_points=list(entry) if isinstance(entry, Sequence) else [entry],
            states=states,
            fallbacks=list(fallbacks),
            conversation_timeout=TIMEOUT_SECONDS,
        )


def draft_of(context: Context) -> dict[str, object]:
    assert context.user_data is not None
    draft: dict[str, object] = context.user_data.setdefault(DRAFT, {})
    return draft


async def use_buttons(update: Update, context: Context) -> None:
    """Typed text where a button is expected: say so, stay in the same step."""
    person = await who_is_asking(update, context)
    if person is not None and update.effective_message is not None:
        await update.effective_message.reply_text(
            Texts(person.language)("conversation.use_buttons")
        )


async def cancel(update: Update, context: Context) -> int:
    person = await who_is_asking(update, context)
    if context.user_data is not None:
        context.user_data.pop(DRAFT, None)
    if person is not None and update.effective_message is not None:
        await update.effective_message.reply_text(Texts(person.language)("conversation.cancelled"))
    return ConversationHandler.END


async def show(update: Update, rendered: Rendered) -> None:
    """Answer a step: edit the message whose button was pressed, or send a new one."""
    query = update.callback_query
    if query is not None:
        await query.answer()
        await query.edit_message_text(rendered.text, reply_markup=rendered.markup())
    elif update.effective_chat is not None:
        await update.effective_chat.send_message(rendered.text, reply_markup=rendered.markup())
