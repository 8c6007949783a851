"""The "I'm on it" button on a call for help."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.i18n import Texts
from bot.services.day import escalation, help_alerts
from bot.services.planning.review import ReviewError
from bot.telegram.callbacks import Action, decode
from bot.telegram.rendered import Rendered
from bot.views import escalation as views
from handlers.common import Context, button_presser, services_of
from storage.models import HelpRequest, Person, Role

log = logging.getLogger(__name__)


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
            if await session.get(HelpRequest, callback.target) is None:
                gone = True  # an alert older than what is kept
            else:
                gone = False
                request, coworker, took = await escalation.acknowledge(
                    services, session, staff, callback.target
                )
                by = await session.get_one(Person, request.acknowledged_by_id)
                now_says = await help_alerts.own_alert(session, request, staff, by, coworker)
    except ReviewError:
        await query.answer(t("escalation.not_yours"), show_alert=True)
        return
    if gone:
        await query.answer(t("escalation.gone"), show_alert=True)
        await _settle(query, None)
        return
    name = coworker.display_name  # alerts are plain text: nothing escaped
    if took:
        await query.answer(t.plain("escalation.you_took", coworker=name))
    elif by.id == staff.id:
        await query.answer(t.plain("escalation.you_have_it", coworker=name), show_alert=True)
    else:
        await query.answer(views.taken(t, by, coworker), show_alert=True)
    await _settle(query, now_says)


async def _settle(query: CallbackQuery, rendered: Rendered | None) -> None:
    """The pressed alert says who has the call now, without the button."""
    try:
        if rendered is None:
            await query.edit_message_reply_markup(None)
        else:
            await query.edit_message_text(rendered.text)
    except BadRequest as exc:  # already says so (the outbox edited it first), or too old
        log.info("alert edit skipped: %s", exc.message)


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [CallbackQueryHandler(on_it, pattern=f"^{Action.ACKNOWLEDGE.value}:")]
