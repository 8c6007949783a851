"""The check-in buttons: "Hur mår du idag?" (morning) and "Hur var din dag?" (evening)."""

from __future__ import annotations

from typing import Any

from telegram import CallbackQuery
from telegram.ext import CallbackQueryHandler

from bot.services.day import checkins
from bot.telegram.callbacks import Action
from bot.telegram.reply import edit
from bot.views.checkins import evening_answered, morning_answered
from handlers.common import Context
from handlers.doors import Press, button_door
from storage.models import Role


def from_the_question(query: CallbackQuery) -> bool:
    """The press came from a message in the presser's own chat that carries this button."""
    message = query.message
    if message is None or message.chat.id != query.from_user.id:
        return False
    markup: Any = getattr(message, "reply_markup", None)
    rows = markup.inline_keyboard if markup is not None else ()
    return any(button.callback_data == query.data for row in rows for button in row)


@button_door()
async def on_check_in(press: Press, context: Context) -> None:
    query, person, t = press.query, press.person, press.t
    if person.role is not Role.COWORKER:
        await press.refuse("coworker.only")
        return
    morning = press.callback.action is Action.CHECK_IN
    question = checkins.MORNING if morning else checkins.EVENING
    services = context.services
    async with services.sessions.begin() as session:
        result = await checkins.answer(
            services,
            session,
            person,
            question,
            press.target,
            from_the_question=from_the_question(query),
        )
    outcome = result.outcome
    if outcome is checkins.Outcome.OLD_DAY:
        await query.answer(t("checkin.old_day"), show_alert=True)
    elif outcome is checkins.Outcome.ALREADY_ANSWERED:
        await query.answer(t("checkin.already"))
    elif outcome is checkins.Outcome.NOT_ASKED or result.value is None:
        await press.refuse()
    elif morning:
        await query.answer()
        await edit(query, morning_answered(t, result.value), skip_failed=True)
    else:
        await query.answer()
        body = str((result.asked or {}).get("body", ""))
        await edit(query, evening_answered(t, body, result.value), skip_failed=True)


def handlers() -> list[CallbackQueryHandler[Context, None]]:
    ours = f"^[{Action.CHECK_IN.value}{Action.END_CHECK_IN.value}]:"
    return [CallbackQueryHandler(on_check_in, pattern=ours)]
