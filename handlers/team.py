"""``/team``: staff see today for each co-worker of their groups."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.i18n import Texts
from bot.services.people.team import team_today
from bot.telegram.reply import say
from bot.views.team import team_view
from handlers.common import Context
from handlers.doors import staff_door
from storage.models import Person


@staff_door(None)
async def team(update: Update, context: Context, staff: Person) -> None:
    if update.effective_chat is None:
        return
    services = context.services
    async with services.sessions.begin() as session:
        groups = await team_today(services, session, staff)
    await say(update, team_view(Texts(staff.language), services.today(), groups))


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [CommandHandler("team", team)]
