"""The "Later" button (on reminders and on the task card) and the snooze times it offers."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler

from bot.i18n import Texts
from bot.services.day import reminders
from bot.services.day.reminders import ReminderError
from bot.telegram.callbacks import Action, decode
from bot.telegram.rendered import Rendered
from bot.views.reminders import later_choices, no_more_today, snoozed
from handlers.common import Context, button_presser, services_of
from storage.models import Role

log = logging.getLogger(__name__)


async def on_button(update: Update, context: Context) -> None:
    pressed = await button_presser(update, context)
    if pressed is None:
        return
    query, person = pressed
    t = Texts(person.language)
    callback = decode(query.data)
    if callback is None or callback.target is None or person.role is not Role.COWORKER:
        await query.answer(t("button.unknown"), show_alert=True)
        return
    services = services_of(context)
    try:
        async with services.sessions.begin() as session:
            if callback.action is Action.LATER:
                task = await reminders.task_to_put_off(services, session, person, callback.target)
                result = None
            else:
                result = await reminders.snooze(services, session, person, callback.target)
                task = result.task
    except ReminderError as error:
        await query.answer(t(f"reminder.refused.{error.refused.value}"), show_alert=True)
        return
    await query.answer()
    if result is None:
        await _edit(query, later_choices(t, task.id), buttons_only=True)
    elif result.at is None:
        await _edit(query, no_more_today(t, task.id))
    else:
        local = result.at.astimezone(services.zone).time()
        await _edit(query, snoozed(t, task.id, local))


async def _edit(query: CallbackQuery, rendered: Rendered, *, buttons_only: bool = False) -> None:
    try:
        if buttons_only:
            await query.edit_message_reply_markup(reply_markup=rendered.markup())
        else:
            await query.edit_message_text(rendered.text, reply_markup=rendered.markup())
    except BadRequest as exc:  # e.g. "message is not modified" after a double press
        log.info("edit skipped: %s", exc.message)


def handlers() -> list[CallbackQueryHandler[Context, None]]:
    ours = f"^[{Action.LATER.value}{Action.SNOOZE.value}](:|$)"
    return [CallbackQueryHandler(on_button, pattern=ours)]
