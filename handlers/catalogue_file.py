"""A support person or admin sends a catalogue file (``.yaml``/``.yml``) to import it.

A co-worker's document is a message for their support person, so it goes on to
``handlers.messages.on_message`` as usual. Either way the update stops here
(``ApplicationHandlerStop``), so the door may sit in a group of its own before the others.
"""

from __future__ import annotations

from telegram import Document, Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, BaseHandler, MessageHandler, filters

from bot.context import Services
from bot.i18n import Texts
from bot.services.catalogue import importer as catalogue_import
from bot.services.catalogue import parse as catalogue_parse
from bot.services.catalogue.parse import CatalogueFileError
from handlers import messages
from handlers.common import Context, services_of, who_is_asking
from storage.models import Person, Role

EXTENSIONS = (".yaml", ".yml")


def is_catalogue(document: Document | None) -> bool:
    name = (document.file_name or "") if document is not None else ""
    return name.lower().endswith(EXTENSIONS)


async def on_catalogue_file(update: Update, context: Context) -> None:
    """Import the file a staff member sent; anyone else's document is an ordinary message."""
    message = update.effective_message
    document = message.document if message is not None else None
    person = await who_is_asking(update, context)
    if (
        message is None
        or document is None
        or not is_catalogue(document)
        or person is None
        or person.role is Role.COWORKER
    ):
        await messages.on_message(update, context)
        raise ApplicationHandlerStop
    t = Texts(person.language)
    await message.reply_text(await _import(services_of(context), person, document, t))
    raise ApplicationHandlerStop


async def _import(services: Services, person: Person, document: Document, t: Texts) -> str:
    """The one short answer: what was imported, or why nothing was."""
    try:
        if document.file_size is not None and document.file_size > catalogue_parse.MAX_BYTES:
            raise CatalogueFileError("too_big", limit="1 MB")
        try:
            data = bytes(await (await document.get_file()).download_as_bytearray())
        except TelegramError:
            return t("catalogue.download_failed")
        specs = catalogue_parse.parse_catalogue(catalogue_parse.decode(data))
        async with services.sessions.begin() as session:
            result = await catalogue_import.import_catalogue(
                services, session, specs, author=person
            )
    except CatalogueFileError as exc:
        return exc.text(t)
    return result.text(t)


def handlers() -> list[BaseHandler[Update, Context, None]]:
    """Register before ``handlers.messages`` (and after the ``/newtask`` conversation, which
    takes documents as attachments), or in a group before theirs."""
    yaml_file = filters.Document.FileExtension("yaml") | filters.Document.FileExtension("yml")
    return [
        MessageHandler(
            filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE & yaml_file, on_catalogue_file
        )
    ]
