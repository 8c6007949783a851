"""Everything that is not a button or a known command."""

from __future__ import annotations

from markupsafe import escape
from telegram import Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.i18n import Texts
from bot.services.messages import relay, replies
from bot.services.messages.staff_messages import Source
from bot.views import relay as relay_views
from handlers import preferences
from handlers.common import Context, answer_stranger, services_of, who_is_asking
from handlers.doors import Press, button_door, person_door
from storage.models import Person, Role

KEPT_KINDS = (
    "text",
    "voice",
    "audio",
    "photo",
    "video",
    "video_note",
    "animation",
    "document",
    "location",
    "sticker",
)


def kind_of(message: Message) -> str | None:
    return next((kind for kind in KEPT_KINDS if getattr(message, kind, None)), None)


def source_of(message: Message, kind: str) -> Source:
    return Source(kind, message.text or message.caption, message.chat_id, message.message_id)


async def on_message(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None or update.effective_chat is None:
        return
    person = await who_is_asking(update, context)
    if person is None:
        await answer_stranger(update, context)
        return
    t = Texts(person.language)
    if message.text and preferences.awaiting_morning_time(context):
        await preferences.on_typed_morning_time(update, context, message.text)
        return
    kind = kind_of(message)
    if kind is None:
        await message.reply_text(t("message.unsupported"))
        return
    if person.role is Role.COWORKER:
        await _from_coworker(update, context, person, message, kind)
    else:
        await _from_staff(update, context, person, message, kind)


async def _from_coworker(
    update: Update, context: Context, person: Person, message: Message, kind: str
) -> None:
    services = services_of(context)
    async with services.sessions.begin() as session:
        relayed = await relay.from_coworker(
            services,
            session,
            person,
            kind=kind,
            body=message.text or message.caption,
            chat_id=message.chat_id,
            message_id=message.message_id,
            replying_to=(message.reply_to_message.message_id if message.reply_to_message else None),
        )
        text = relay_views.receipt(
            Texts(person.language), relayed.hearer, relayed.group, services.zone, services.today()
        )
    await message.reply_text(text)


async def _from_staff(
    update: Update, context: Context, staff: Person, message: Message, kind: str
) -> None:
    """A reply to a relayed message goes back to the co-worker who wrote it."""
    t = Texts(staff.language)
    replied = message.reply_to_message
    services = services_of(context)
    async with services.sessions.begin() as session:
        replied_id = replied.message_id if replied is not None else None
        original = await replies.answered_message(session, message.chat_id, replied_id)
        if original is None:
            await message.reply_text(t("relay.reply_to_answer"))
            return
        answered = await relay.answer(services, session, staff, original, source_of(message, kind))
    name = answered.coworker.display_name
    key = "relay.answer_sent" if answered.delivered else "relay.answer_not_delivered"
    await message.reply_text(t(key, name=escape(name)))


@person_door
async def on_unknown_command(update: Update, context: Context, person: Person) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text(Texts(person.language)("command.unknown"))


@person_door
async def on_cancel_outside(update: Update, context: Context, person: Person) -> None:
    """/cancel when no conversation is going on (it ended, or timed out)."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(Texts(person.language)("conversation.nothing"))


@button_door(needs_target=False)
async def on_unknown_button(press: Press, context: Context) -> None:
    """A button whose data is none of ours: stale, from an old version, or forged
    (``button_door`` answers most; one of ours that no door took is answered here)."""
    await press.refuse()


def handlers() -> list[BaseHandler[Update, Context, None]]:
    """The last handlers: registered after every other door."""
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("cancel", on_cancel_outside, filters=private),
        MessageHandler(private & filters.COMMAND, on_unknown_command),
        MessageHandler(private & ~filters.COMMAND & ~filters.StatusUpdate.ALL, on_message),
        CallbackQueryHandler(on_unknown_button),
    ]
