"""The check-in buttons: "Hur mår du idag?" (morning) and "Hur var din dag?" (evening)."""

from __future__ import annotations

import logging
from typing import Any

from telegram import CallbackQuery, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler

from bot.i18n import Texts
from bot.services.day import checkins
from bot.telegram.callbacks import Action, decode
from bot.telegram.rendered import Rendered
from bot.views.checkins import evening_answered, morning_answered
from handlers.common import Context, button_presser, services_of
from storage.models import Role

log = logging.getLogger(__name__)


def from_the_question(query: CallbackQuery) -> bool:
    """The press came from a message in the presser's own chat that carries this button."""
    message = query.message
    if message is None or message.chat.id != query.from_user.id:
        return False
    markup: Any = getattr(message, "reply_markup", None)
    rows = markup.inline_keyboard if markup is not None else ()
    return any(button.callback_data == query.data for row in rows for button in row)


async def _edit(query: CallbackQuery, rendered: Rendered) -> None:
    try:
        await query.edit_message_text(rendered.text, reply_markup=rendered.markup())
    except BadRequest as exc:  # the message is too old to edit, or already shows this
        log.info("check-in edit skipped: %s", exc.message)


async def on_check_in(update: Update, context: Context) -> None:
    pressed = await button_presser(update, context)
    if pressed is None:
        return
    query, person = pressed
    t = Texts(person.language)
    callback = decode(query.data)
    if callback is None or callback.target is None:
        await query.answer(t("button.unknown"), show_alert=True)
        return
    if person.role is not Role.COWORKER:
        await query.answer(t("coworker.only"), show_alert=True)
        return
    morning = callback.action is Action.CHECK_IN
    question = checkins.MORNING if morning else checkins.EVENING
    services = services_of(context)
    async with services.sessions.begin() as session:
        result = await checkins.answer(
            services,
            session,
            person,
            question,
            callback.target,
            from_the_question=from_the_question(query),
        )
    outcome = result.outcome
    if outcome is checkins.Outcome.OLD_DAY:
        await query.answer(t("checkin.old_day"), show_alert=True)
    elif outcome is checkins.Outcome.ALREADY_ANSWERED:
        await query.answer(t("checkin.already"))
    elif outcome is checkins.Outcome.NOT_ASKED or result.value is None:
        await query.answer(t("button.unknown"), show_alert=True)
    elif morning:
        await query.answer()
        await _edit(query, morning_answered(t, result.value))
    else:
        await query.answer()
        body = str((result.asked or {}).get("body", ""))
        await _edit(query, evening_answered(t, body, result.value))


def handlers() -> list[CallbackQueryHandler[Context, None]]:
    ours = f"^[{Action.CHECK_IN.value}{Action.END_CHECK_IN.value}]:"
    return [CallbackQueryHandler(on_check_in, pattern=ours)]
