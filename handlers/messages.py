"""Everything that is not a button or a known command."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.i18n import Texts
from bot.services import inbox
from handlers import preferences
from handlers.common import Context, answer_stranger, button_presser, services_of, who_is_asking
from storage.models import Role

KEPT_KINDS = ("text", "voice", "photo", "video", "video_note", "document", "location", "sticker")


def kind_of(message: Message) -> str | None:
    return next((kind for kind in KEPT_KINDS if getattr(message, kind, None)), None)


async def on_message(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None or update.effective_chat is None:
        return
    person = await who_is_asking(update, context)
    if person is None:
        await answer_stranger(update, context)
        return
    t = Texts(person.language)
    if person.role is not Role.COWORKER:
        await message.reply_text(t("staff.nothing_yet", name=person.display_name))
        return
    if message.text and preferences.awaiting_morning_time(context):
        await preferences.on_typed_morning_time(update, context, message.text)
        return
    kind = kind_of(message)
    if kind is None:
        await message.reply_text(t("message.unsupported"))
        return
    services = services_of(context)
    async with services.sessions.begin() as session:
        await inbox.keep_from_coworker(
            services,
            session,
            person,
            kind=kind,
            body=message.text or message.caption,
            chat_id=message.chat_id,
            message_id=message.message_id,
        )
    await message.reply_text(t("message.saved"))


async def on_unknown_command(update: Update, context: Context) -> None:
    person = await who_is_asking(update, context)
    if person is None:
        await answer_stranger(update, context)
        return
    if update.effective_message is not None:
        await update.effective_message.reply_text(Texts(person.language)("command.unknown"))


async def on_cancel_outside(update: Update, context: Context) -> None:
    """/cancel when no conversation is going on (it ended, or timed out)."""
    person = await who_is_asking(update, context)
    if person is None:
        await answer_stranger(update, context)
        return
    if update.effective_message is not None:
        await update.effective_message.reply_text(Texts(person.language)("conversation.nothing"))


async def on_unknown_button(update: Update, context: Context) -> None:
    """A button whose data is none of ours: stale, from an old version, or forged."""
    pressed = await button_presser(update, context)
    if pressed is None:
        return
    query, person = pressed
    await query.answer(Texts(person.language)("button.unknown"), show_alert=True)


def handlers() -> list[BaseHandler[Update, Context, None]]:
    """The last handlers: registered after every other door."""
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("cancel", on_cancel_outside, filters=private),
        MessageHandler(private & filters.COMMAND, on_unknown_command),
        MessageHandler(private & ~filters.COMMAND & ~filters.StatusUpdate.ALL, on_message),
        CallbackQueryHandler(on_unknown_button),
    ]
