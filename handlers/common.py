"""What every door shares: the services, who is asking, and the stranger's answer."""

from __future__ import annotations

from contextvars import ContextVar

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import BotCommandScopeChat, CallbackQuery, Update, User

from bot.context import Services
from bot.i18n import Texts
from bot.services.people import lookup
from bot.telegram.context import VardagContext
from bot.views.menus import commands_for
from storage.models import Person, Role

Context = VardagContext


def services_of(context: Context) -> Services:
    return context.services


# The person behind an update's sender, found by the repeated-update check in its own
# transaction (handlers/dedupe.py) so the door after it need not open another one:
# (update id, person or None). Set in the update's own task; taken once.
_FOUND: ContextVar[tuple[int, Person | None] | None] = ContextVar("vardag_found", default=None)


def _sender(update: Update) -> User | None:
    user = update.effective_user
    return None if user is None or user.is_bot else user


async def find_asking(session: AsyncSession, update: Update) -> None:
    """Look up the update's sender in ``session``, for :func:`who_is_asking` to take."""
    user = _sender(update)
    person = None if user is None else await lookup.by_telegram_id(session, user.id)
    _FOUND.set((update.update_id, person) if user is not None else None)


def found_asking(update: Update, person: Person | None) -> None:
    """The update's sender, looked up already (when the inbox took it), for
    :func:`who_is_asking` to take."""
    _FOUND.set((update.update_id, person) if _sender(update) is not None else None)


async def who_is_asking(update: Update, context: Context) -> Person | None:
    """The active person behind the update's sender; identity never comes from the payload."""
    user = _sender(update)
    if user is None:
        return None
    found = _FOUND.get()
    if found is not None and found[0] == update.update_id:
        _FOUND.set(None)  # later asks in the same update look again
        person = found[1]
    else:
        async with services_of(context).sessions() as session:
            person = await lookup.by_telegram_id(session, user.id)
    return person if person is not None and person.active else None


def texts_for(person: Person | None, update: Update, context: Context) -> Texts:
    if person is not None:
        return Texts(person.language)
    user = update.effective_user
    code = (user.language_code or "")[:2] if user else ""
    return Texts(code if code == "en" else services_of(context).settings.language)


async def answer_stranger(update: Update, context: Context) -> None:
    """One short, polite line and nothing else: no data, no menus."""
    text = texts_for(None, update, context)("stranger")
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.effective_chat is not None:
        await context.bot.send_message(update.effective_chat.id, text)


async def set_menu(context: Context, person: Person, chat_id: int) -> None:
    """Show the person the commands of their role, in their language (per-chat scope)."""
    commands = commands_for(person.role, Texts(person.language))
    await context.bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_id))


async def who_is_staff(update: Update, context: Context) -> Person | None:
    """The asking support person or admin; a stranger or co-worker is answered and gets None."""
    person = await who_is_asking(update, context)
    if person is None:
        await answer_stranger(update, context)
        return None
    if person.role is Role.COWORKER:
        text = Texts(person.language)("staff.only")
        if update.callback_query is not None:
            await update.callback_query.answer(text, show_alert=True)
        elif update.effective_message is not None:
            await update.effective_message.reply_text(text)
        return None
    return person


async def button_presser(update: Update, context: Context) -> tuple[CallbackQuery, Person] | None:
    """The pressed button and the active person pressing it; a stranger is answered."""
    query = update.callback_query
    if query is None:
        return None
    person = await who_is_asking(update, context)
    if person is None:
        await answer_stranger(update, context)
        return None
    return query, person
