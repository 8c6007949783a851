"""A person blocking or unblocking the bot (Telegram's ``my_chat_member`` update)."""

from __future__ import annotations

from telegram import ChatMember, Update
from telegram.ext import ChatMemberHandler

from bot.services.people import lookup, reachability
from handlers.common import Context, services_of

GONE = (ChatMember.BANNED, ChatMember.LEFT)


async def on_my_chat_member(update: Update, context: Context) -> None:
    change = update.my_chat_member
    if change is None or change.chat.type != "private":
        return
    reachable = change.new_chat_member.status not in GONE
    services = services_of(context)
    async with services.sessions.begin() as session:
        person = await lookup.by_telegram_id(session, change.from_user.id)
        if person is not None:
            await reachability.set_reachable(services, session, person, reachable)


def handlers() -> list[ChatMemberHandler[Context, None]]:
    return [ChatMemberHandler(on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER)]
