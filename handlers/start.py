"""``/start`` and ``/start <code>``: joining with an invite."""

from __future__ import annotations

import logging

from markupsafe import escape
from telegram import Update
from telegram.ext import CommandHandler

from bot.i18n import Texts
from bot.services.messages import responsible
from bot.services.people import invites
from bot.services.safety_net import first_list
from bot.telegram.reply import send
from bot.views.start import language_question, welcome
from handlers.common import Context, answer_stranger, services_of, set_menu, who_is_asking
from storage.models import Role

log = logging.getLogger(__name__)

MAX_CODE_LENGTH = 64  # Telegram's limit for a deep-link payload


async def start(update: Update, context: Context) -> None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    known = await who_is_asking(update, context)
    if known is not None:
        t = Texts(known.language)
        key = "start.again" if known.role is Role.COWORKER else "start.again_staff"
        await context.bot.send_message(chat.id, t(key, name=escape(known.display_name)))
        return
    code = context.args[0] if context.args else ""
    if not code or len(code) > MAX_CODE_LENGTH:
        await answer_stranger(update, context)
        return
    services = services_of(context)
    contacts = None
    async with services.sessions.begin() as session:
        result = await invites.redeem(services, session, code, user.id)
        person = result.person
        if person is not None and person.role is Role.COWORKER:
            await first_list.joined(services, session, person)
            contacts = await responsible.contacts_of(services, session, person, services.now())
    if person is None:
        log.info("refused /start: %s", result.refusal.value if result.refusal else "?")
        await answer_stranger(update, context)
        return
    log.info("person %s joined", person.id)
    t = Texts(person.language)
    if result.returning:
        await context.bot.send_message(chat.id, t("start.welcome_back"))
    for rendered in (welcome(t, person, contacts), language_question(t)):
        await send(context.bot, chat.id, rendered)
    await set_menu(context, person, chat.id)


def handlers() -> list[CommandHandler[Context, None]]:
    return [CommandHandler("start", start)]
