"""``/send`` (to one co-worker) and ``/broadcast`` (to a group): staff write first.

Choose with buttons, then send the message itself, of any kind; it is copied to the
co-worker(s) after a line naming who wrote it.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.i18n import Texts
from bot.services.access import ReviewError
from bot.services.messages import staff_messages
from bot.services.people import contacts, lookup
from bot.telegram.callbacks import Action, decode
from bot.telegram.reply import reply
from bot.views import relay as views
from bot.views.review import choose_coworker
from handlers.common import Context, services_of, who_is_staff
from handlers.conversation import cancel, conversation, draft_of, use_buttons
from handlers.doors import staff_door
from handlers.messages import kind_of, source_of
from storage.models import Person

CHOOSE, WRITE = range(2)


@staff_door(ConversationHandler.END)
async def begin_send(update: Update, context: Context, staff: Person) -> int:
    draft_of(context).clear()
    async with services_of(context).sessions() as session:
        coworkers = await contacts.coworkers_for(session, staff)
    t = Texts(staff.language)
    await reply(update, choose_coworker(t, coworkers, Action.SEND_TO, "send.which_coworker"))
    return CHOOSE if coworkers else ConversationHandler.END


@staff_door(ConversationHandler.END)
async def begin_broadcast(update: Update, context: Context, staff: Person) -> int:
    draft_of(context).clear()
    async with services_of(context).sessions() as session:
        groups = await lookup.groups_for(session, staff)
    t = Texts(staff.language)
    if len(groups) == 1:
        draft_of(context)["group_id"] = groups[0].id
        await reply(update, views.write_to_group(t, groups[0]))
        return WRITE
    await reply(update, views.choose_group(t, groups))
    return CHOOSE if groups else ConversationHandler.END


async def chose(update: Update, context: Context) -> int:
    staff = await who_is_staff(update, context)
    query = update.callback_query
    callback = decode(query.data) if query else None
    if staff is None or query is None or callback is None or callback.target is None:
        return ConversationHandler.END
    t = Texts(staff.language)
    draft = draft_of(context)
    async with services_of(context).sessions() as session:
        if callback.action is Action.SEND_TO:
            try:
                coworker = await staff_messages.coworker_for(session, staff, callback.target)
            except ReviewError:  # refused: what is being written stays as it was
                await query.answer(t("send.not_yours"), show_alert=True)
                return CHOOSE
            draft.pop("group_id", None)
            draft["coworker_id"] = callback.target
            await reply(update, views.write_to(t, coworker))
            return WRITE
        groups = {g.id: g for g in await lookup.groups_for(session, staff)}
    if callback.target not in groups:
        await query.answer(t("send.not_yours"), show_alert=True)
        return CHOOSE
    draft.pop("coworker_id", None)
    draft["group_id"] = callback.target
    await reply(update, views.write_to_group(t, groups[callback.target]))
    return WRITE


async def wrote(update: Update, context: Context) -> int:
    staff = await who_is_staff(update, context)
    message: Message | None = update.effective_message
    if staff is None or message is None:
        return ConversationHandler.END
    t = Texts(staff.language)
    kind = kind_of(message)
    if kind is None:
        await message.reply_text(t("message.unsupported"))
        return WRITE
    draft = dict(draft_of(context))
    draft_of(context).clear()
    services = services_of(context)
    source = source_of(message, kind)
    try:
        async with services.sessions.begin() as session:
            if isinstance(draft.get("coworker_id"), int):
                coworker, delivered = await staff_messages.send_to(
                    services, session, staff, int(str(draft["coworker_id"])), source
                )
                key = "relay.answer_sent" if delivered else "relay.answer_not_delivered"
                text = t(key, name=coworker.display_name)
            else:
                group, count = await staff_messages.broadcast(
                    services, session, staff, int(str(draft["group_id"])), source
                )
                text = t("send.broadcast_sent", count=count, group=group.name)
    except ReviewError:
        text = t("send.not_yours")  # the co-worker or group is no longer theirs
    await message.reply_text(text)
    return ConversationHandler.END


def handlers() -> list[BaseHandler[Update, Context, object]]:
    anything = ~filters.COMMAND & ~filters.StatusUpdate.ALL
    choices = f"^[{Action.SEND_TO.value}{Action.BROADCAST_GROUP.value}]:"
    return [
        conversation(
            [CommandHandler("send", begin_send), CommandHandler("broadcast", begin_broadcast)],
            {
                CHOOSE: [
                    CallbackQueryHandler(chose, pattern=choices),
                    MessageHandler(filters.TEXT & ~filters.COMMAND, use_buttons),
                ],
                WRITE: [MessageHandler(anything, wrote)],
            },
            [CommandHandler("cancel", cancel)],
        )
    ]
