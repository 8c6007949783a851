"""``/people``: a co-worker asks who their contact persons are and who is on duty now."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.i18n import Texts
from bot.services.messages import responsible
from bot.telegram.reply import answer
from bot.views.safety import contacts_card
from handlers.common import Context
from handlers.doors import coworker_door
from storage.models import Person


@coworker_door
async def people(update: Update, context: Context, person: Person) -> None:
    services = context.services
    async with services.sessions() as session:
        contacts = await responsible.contacts_of(services, session, person, services.now())
    await answer(update, contacts_card(Texts(person.language), contacts))


def handlers() -> list[CommandHandler[Context, None]]:
    return [CommandHandler("people", people)]
