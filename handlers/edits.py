"""Edited messages: never taken as new ones (no second relay, no second receipt, no
command run again). A co-worker's edit of a message that reached staff goes to the same
member of staff, marked as a change; any other edit gets one short line saying edits are
not followed. Edits of live locations (they arrive every few seconds) pass in silence."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop, BaseHandler, MessageHandler, filters

from bot.i18n import Texts
from bot.services.messages import relay_edits
from bot.services.messages.relay_edits import Outcome
from handlers.common import Context, services_of, who_is_asking
from storage.models import Role

GROUP = -50  # after the repeated-update check, before every door that acts on messages


async def on_edit(update: Update, context: Context) -> None:
    message = update.edited_message
    if message is None or message.location is not None:
        raise ApplicationHandlerStop
    person = await who_is_asking(update, context)
    if person is None:  # a stranger: nothing to say that was not said already
        raise ApplicationHandlerStop
    t = Texts(person.language)
    body = message.text or message.caption
    result = relay_edits.EditResult(Outcome.UNKNOWN)
    if person.role is Role.COWORKER and body:
        services = services_of(context)
        async with services.sessions.begin() as session:
            result = await relay_edits.edited(
                services,
                session,
                person,
                body=body,
                chat_id=message.chat_id,
                message_id=message.message_id,
                edited_at=int((message.edit_date or message.date).timestamp()),
            )
    if result.outcome is Outcome.SENT and result.staff is not None:
        text = t("relay.edit_sent", name=result.staff.display_name)
    elif result.outcome is Outcome.WAITING:
        text = t("relay.edit_waiting")
    else:
        text = t("edit.ignored")
    await message.reply_text(text)
    raise ApplicationHandlerStop


def handler() -> BaseHandler[Update, Context, None]:
    return MessageHandler(filters.UpdateType.EDITED_MESSAGE, on_edit)
