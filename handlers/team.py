"""``/team``: staff see today for each co-worker of their groups."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.i18n import Texts
from bot.services.people.team import team_today
from bot.views.team import team_view
from handlers.common import Context, services_of, who_is_staff


async def team(update: Update, context: Context) -> None:
    staff = await who_is_staff(update, context)
    if staff is None or update.effective_chat is None:
        return
    services = services_of(context)
    async with services.sessions.begin() as session:
        groups = await team_today(services, session, staff)
    rendered = team_view(Texts(staff.language), services.today(), groups)
    await update.effective_chat.send_message(rendered.text, reply_markup=rendered.markup())


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [CommandHandler("team", team)]
