"""The "I'm on it" button on a call for help."""

from __future__ import annotations

from markupsafe import Markup
from telegram import CallbackQuery, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.services.access import ReviewError
from bot.services.day import acknowledging
from bot.telegram.callbacks import Action
from bot.telegram.rendered import Rendered
from bot.telegram.reply import edit
from bot.views import escalation as views
from handlers.common import Context
from handlers.doors import STAFF, Press, button_door


@button_door(roles=STAFF)
async def on_it(press: Press, context: Context) -> None:
    query, staff, t = press.query, press.person, press.t
    services = context.services
    try:
        async with services.sessions.begin() as session:
            done = await acknowledging.on_it(services, session, staff, press.target)
    except ReviewError:
        await press.refuse("escalation.not_yours")
        return
    if done is None:  # an alert older than what is kept
        await press.refuse("escalation.gone")
        await _settle(query, None)
        return
    coworker, by = done.coworker, done.by
    name = coworker.display_name  # alerts are plain text: nothing escaped
    if done.took:
        await query.answer(t.plain("escalation.you_took", coworker=name))
    elif by.id == staff.id:
        await query.answer(t.plain("escalation.you_have_it", coworker=name), show_alert=True)
    else:
        await query.answer(views.taken(t, by, coworker), show_alert=True)
    await _settle(query, done.alert)


async def _settle(query: CallbackQuery, rendered: Rendered | None) -> None:
    """The pressed alert says who has the call now, without the button."""
    # An edit refused (the outbox edited it first, or it is too old) is skipped.
    shown = Rendered(Markup()) if rendered is None else Rendered(rendered.text)
    await edit(query, shown, buttons_only=rendered is None, skip_failed=True)


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [CallbackQueryHandler(on_it, pattern=f"^{Action.ACKNOWLEDGE.value}:")]
