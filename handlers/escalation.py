"""The "I'm on it" button on a call for help."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.callbacks import Action, decode
from bot.i18n import Texts
from bot.services import escalation
from bot.services.review import ReviewError
from bot.views import escalation as views
from handlers.common import Context, button_presser, services_of
from storage.models import Person, Role


async def on_it(update: Update, context: Context) -> None:
    pressed = await button_presser(update, context)
    if pressed is None:
        return
    query, staff = pressed
    t = Texts(staff.language)
    callback = decode(query.data)
    if staff.role is Role.COWORKER or callback is None or callback.target is None:
        await query.answer(t("button.unknown"), show_alert=True)
        return
    services = services_of(context)
    try:
        async with services.sessions.begin() as session:
            request, coworker, took = await escalation.acknowledge(
                services, session, staff, callback.target
            )
            by = await session.get_one(Person, request.acknowledged_by_id)
    except ReviewError:
        await query.answer(t("escalation.not_yours"), show_alert=True)
        return
    if took:
        await query.answer(t.plain("escalation.you_took", coworker=coworker.display_name))
    else:
        await query.answer(views.taken(t, by, coworker), show_alert=True)
    await query.edit_message_reply_markup(None)


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [CallbackQueryHandler(on_it, pattern=f"^{Action.ACKNOWLEDGE.value}:")]
