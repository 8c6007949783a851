"""The "Later" button (on reminders and on the task card) and the snooze times it offers."""

from __future__ import annotations

from telegram.ext import CallbackQueryHandler

from bot.services.day import reminders
from bot.services.day.reminders import ReminderError
from bot.telegram.callbacks import Action
from bot.telegram.reply import edit
from bot.views.reminders import later_choices, no_more_today, snoozed
from handlers.common import Context
from handlers.doors import COWORKERS, Press, button_door


@button_door(roles=COWORKERS)
async def on_button(press: Press, context: Context) -> None:
    query, person, t = press.query, press.person, press.t
    services = context.services
    try:
        async with services.sessions.begin() as session:
            if press.callback.action is Action.LATER:
                task = await reminders.task_to_put_off(services, session, person, press.target)
                result = None
            else:
                result = await reminders.snooze(services, session, person, press.target)
                task = result.task
    except ReminderError as error:
        await press.refuse(f"reminder.refused.{error.refused.value}")
        return
    await query.answer()
    if result is None:
        await edit(query, later_choices(t, task.id), buttons_only=True, skip_failed=True)
    elif result.at is None:
        await edit(query, no_more_today(t, task.id), skip_failed=True)
    else:
        local = result.at.astimezone(services.zone).time()
        await edit(query, snoozed(t, task.id, local), skip_failed=True)


def handlers() -> list[CallbackQueryHandler[Context, None]]:
    ours = f"^[{Action.LATER.value}{Action.SNOOZE.value}](:|$)"
    return [CallbackQueryHandler(on_button, pattern=ours)]
