"""``/continuity``: how many different staff each co-worker met in the last 14 days,
as text and then, per group with co-workers, as a PNG chart in the same private chat."""

from __future__ import annotations

import asyncio

from telegram import InputFile, Update
from telegram.ext import BaseHandler, CommandHandler

from bot.i18n import Texts
from bot.services.people import continuity
from bot.views.continuity import continuity_view
from bot.views.continuity_chart import chart_caption, continuity_chart
from handlers.common import Context
from handlers.doors import staff_door
from storage.models import Person


@staff_door(None)
async def show_continuity(update: Update, context: Context, staff: Person) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    services = context.services
    async with services.sessions.begin() as session:
        groups = await continuity.for_staff(services, session, staff)
    today = services.today()
    t = Texts(staff.language)
    rendered = continuity_view(t, groups)
    await chat.send_message(rendered.text)
    for group in groups:
        if not group.figures:  # the text already says the group has no co-workers
            continue
        png = await asyncio.to_thread(continuity_chart, t, group)
        await chat.send_photo(
            InputFile(png, filename="continuity.png"), caption=chart_caption(t, group, today)
        )


def handlers() -> list[BaseHandler[Update, Context, None]]:
    # Private chats only (the figures name co-workers): handlers.private_only sees to it.
    return [CommandHandler("continuity", show_continuity)]
