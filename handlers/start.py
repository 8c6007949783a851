"""``/start`` and ``/start <code>``: joining with an invite."""

from __future__ import annotations

import logging
from html import escape

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import CommandHandler

from bot.i18n import Texts
from bot.services import invites
from handlers.common import Context, answer_stranger, services_of, who_is_asking
from storage.models import Person, Role

log = logging.getLogger(__name__)


def welcome(t: Texts, person: Person) -> str:
    lines = [t("start.welcome", name=escape(person.display_name))]
    if person.role is Role.COWORKER:
        lines.append(t("start.explain_coworker"))
    else:
        lines.append(t("start.explain_staff", role=t(f"role.{person.role.value}")))
    return "\n\n".join(lines)


async def start(update: Update, context: Context) -> None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    known = await who_is_asking(update, context)
    if known is not None:
        t = Texts(known.language)
        key = "start.again" if known.role is Role.COWORKER else "start.again_staff"
        await context.bot.send_message(
            chat.id, t(key, name=escape(known.display_name)), parse_mode=ParseMode.HTML
        )
        return
    code = context.args[0] if context.args else ""
    if not code or len(code) > 64:
        await answer_stranger(update, context)
        return
    services = services_of(context)
    async with services.sessions.begin() as session:
        result = await invites.redeem(services, session, code, user.id)
    if result.person is None:
        log.info("refused /start: %s", result.refusal.value if result.refusal else "?")
        await answer_stranger(update, context)
        return
    log.info("person %s joined", result.person.id)
    await context.bot.send_message(
        chat.id, welcome(Texts(result.person.language), result.person), parse_mode=ParseMode.HTML
    )


def handlers() -> list[CommandHandler[Context, None]]:
    return [CommandHandler("start", start)]
