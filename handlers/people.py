"""``/people``: a co-worker asks who their contact persons are and who is on duty now."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.i18n import Texts
from bot.services.people import responsible
from bot.views.safety import contacts_card
from handlers.common import Context, services_of
from handlers.outlook import _coworker, _reply


async def people(update: Update, context: Context) -> None:
    person = await _coworker(update, context)
    if person is None:
        return
    services = services_of(context)
    async with services.sessions() as session:
        contacts = await responsible.contacts_of(services, session, person, services.now())
    await _reply(update, contacts_card(Texts(person.language), contacts))


def handlers() -> list[CommandHandler[Context, None]]:
    return [CommandHandler("people", people)]
