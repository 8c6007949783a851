"""``/week`` (the coming days' lists) and ``/history`` (what I have done), for co-workers."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.i18n import Texts
from bot.services.day import outlook
from bot.telegram.rendered import Rendered
from bot.views import outlook as views
from handlers.common import Context, answer_stranger, services_of, who_is_asking
from storage.models import Person, Role


async def _coworker(update: Update, context: Context) -> Person | None:
    """The asking co-worker; a stranger or member of staff is answered and gets None."""
    person = await who_is_asking(update, context)
    if person is None:
        await answer_stranger(update, context)
        return None
    if person.role is not Role.COWORKER:
        if update.effective_message is not None:
            await update.effective_message.reply_text(Texts(person.language)("coworker.only"))
        return None
    return person


async def _reply(update: Update, rendered: Rendered) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text(rendered.text)


async def week(update: Update, context: Context) -> None:
    person = await _coworker(update, context)
    if person is None:
        return
    services = services_of(context)
    async with services.sessions() as session:
        days = await outlook.week(services, session, person)
    shown = [(day.day, day.titles) for day in days]
    not_final = {day.day for day in days if not day.final}
    await _reply(update, views.week(Texts(person.language), shown, not_final))


async def history(update: Update, context: Context) -> None:
    person = await _coworker(update, context)
    if person is None:
        return
    services = services_of(context)
    async with services.sessions() as session:
        done = await outlook.history(services, session, person)
    shown = [(day.day, day.titles) for day in done.days]
    await _reply(update, views.history(Texts(person.language), shown, done.streak))


def handlers() -> list[CommandHandler[Context, None]]:
    return [CommandHandler("week", week), CommandHandler("history", history)]
