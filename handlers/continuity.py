"""``/continuity``: how many different staff each co-worker met in the last 14 days."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import BaseHandler, CommandHandler

from bot.i18n import Texts
from bot.services import continuity
from bot.views.continuity import continuity_view
from handlers.common import Context, services_of, who_is_staff


async def show_continuity(update: Update, context: Context) -> None:
    staff = await who_is_staff(update, context)
    if staff is None or update.effective_chat is None:
        return
    services = services_of(context)
    async with services.sessions.begin() as session:
        groups = await continuity.for_staff(services, session, staff)
    rendered = continuity_view(Texts(staff.language), groups)
    await update.effective_chat.send_message(rendered.text, parse_mode=ParseMode.HTML)


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [CommandHandler("continuity", show_continuity)]
