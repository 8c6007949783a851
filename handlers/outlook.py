"""``/week`` (the coming days' lists) and ``/history`` (what I have done), for co-workers."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.i18n import Texts
from bot.services.day import outlook
from bot.telegram.reply import answer
from bot.views import outlook as views
from handlers.common import Context
from handlers.doors import coworker_door
from storage.models import Person


@coworker_door
async def week(update: Update, context: Context, person: Person) -> None:
    services = context.services
    async with services.sessions() as session:
        days = await outlook.week(services, session, person)
    shown = [(day.day, day.titles) for day in days]
    not_final = {day.day for day in days if not day.final}
    await answer(update, views.week(Texts(person.language), shown, not_final))


@coworker_door
async def history(update: Update, context: Context, person: Person) -> None:
    services = context.services
    async with services.sessions() as session:
        done = await outlook.history(services, session, person)
    shown = [(day.day, day.titles) for day in done.days]
    await answer(update, views.history(Texts(person.language), shown, done.streak))


def handlers() -> list[CommandHandler[Context, None]]:
    return [CommandHandler("week", week), CommandHandler("history", history)]
