"""``/invite``: staff invite a person in chat (role for admins, name, group) and get a link."""

from __future__ import annotations

import warnings

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.botinfo import deep_link
from bot.callbacks import Action, decode
from bot.i18n import Texts
from bot.services import invites
from bot.views.invite import INVITABLE, group_question, invite_ready, name_question, role_question
from bot.views.rendered import Rendered
from handlers.common import Context, services_of, who_is_asking, who_is_staff
from storage.models import Person, Role
from storage.repos import people as people_repo

ROLE, NAME, GROUP = range(3)
DRAFT = "invite_draft"
MAX_NAME = 120
TIMEOUT_SECONDS = 600


async def _say(update: Update, rendered: Rendered) -> None:
    if update.effective_chat is not None:
        await update.effective_chat.send_message(
            rendered.text, parse_mode=ParseMode.HTML, reply_markup=rendered.markup()
        )


def _draft(context: Context) -> dict[str, object]:
    assert context.user_data is not None
    draft: dict[str, object] = context.user_data.setdefault(DRAFT, {})
    return draft


async def begin(update: Update, context: Context) -> int:
    person = await who_is_staff(update, context)
    if person is None:
        return ConversationHandler.END
    t = Texts(person.language)
    _draft(context).clear()
    if person.role is Role.ADMIN:
        await _say(update, role_question(t))
        return ROLE
    _draft(context)["role"] = Role.COWORKER
    await _say(update, name_question(t, Role.COWORKER))
    return NAME


async def chose_role(update: Update, context: Context) -> int:
    query = update.callback_query
    person = await who_is_staff(update, context)
    if query is None or person is None or person.role is not Role.ADMIN:
        return ConversationHandler.END
    callback = decode(query.data)
    t = Texts(person.language)
    if callback is None or callback.target is None or not 0 <= callback.target < len(INVITABLE):
        await query.answer(t("button.unknown"), show_alert=True)
        return ROLE
    role = INVITABLE[callback.target]
    _draft(context)["role"] = role
    await query.answer()
    await query.edit_message_text(name_question(t, role).text)
    return NAME


async def typed_name(update: Update, context: Context) -> int:
    person = await who_is_staff(update, context)
    message = update.effective_message
    if person is None or message is None or message.text is None:
        return ConversationHandler.END
    t = Texts(person.language)
    name = " ".join(message.text.split())
    if not name or len(name) > MAX_NAME:
        await message.reply_text(t("invite.bad_name"))
        return NAME
    draft = _draft(context)
    draft["name"] = name
    if draft.get("role") is Role.ADMIN:
        await _create(update, context, person, group_id=None)
        return ConversationHandler.END
    services = services_of(context)
    async with services.sessions() as session:
        groups = await people_repo.groups_for(session, person)
    if not groups:
        await message.reply_text(t("invite.no_groups"))
        return ConversationHandler.END
    await _say(update, group_question(t, groups))
    return GROUP


async def chose_group(update: Update, context: Context) -> int:
    query = update.callback_query
    person = await who_is_staff(update, context)
    if query is None or person is None:
        return ConversationHandler.END
    callback = decode(query.data)
    services = services_of(context)
    async with services.sessions() as session:
        allowed = {group.id for group in await people_repo.groups_for(session, person)}
    if callback is None or callback.target not in allowed:
        await query.answer(Texts(person.language)("invite.not_your_group"), show_alert=True)
        return GROUP
    await query.answer()
    await _create(update, context, person, group_id=callback.target)
    return ConversationHandler.END


async def _create(update: Update, context: Context, staff: Person, group_id: int | None) -> None:
    draft = _draft(context)
    role, name = draft.get("role"), draft.get("name")
    assert isinstance(role, Role) and isinstance(name, str)
    services = services_of(context)
    async with services.sessions.begin() as session:
        new = await invites.create_invite(
            services, session, role=role, name=name, group_id=group_id, created_by=staff
        )
    draft.clear()
    link = deep_link(context.bot.username, new.code)
    await _say(
        update,
        invite_ready(Texts(staff.language), name, role, link, new.invite.expires_at, services.zone),
    )


async def use_buttons(update: Update, context: Context) -> int | None:
    person = await who_is_asking(update, context)
    if person is not None and update.effective_message is not None:
        await update.effective_message.reply_text(Texts(person.language)("invite.use_buttons"))
    return None


async def cancel(update: Update, context: Context) -> int:
    person = await who_is_asking(update, context)
    if context.user_data is not None:
        context.user_data.pop(DRAFT, None)
    if person is not None and update.effective_message is not None:
        await update.effective_message.reply_text(Texts(person.language)("invite.cancelled"))
    return ConversationHandler.END


def handlers() -> list[BaseHandler[Update, Context, object]]:
    text = filters.TEXT & ~filters.COMMAND
    with warnings.catch_warnings():
        # PTB warns that buttons are tracked per chat, not per message: that is what we want.
        warnings.simplefilter("ignore", PTBUserWarning)
        conversation: ConversationHandler[Context] = ConversationHandler(
            entry_points=[CommandHandler("invite", begin)],
            states={
                ROLE: [
                    CallbackQueryHandler(chose_role, pattern=f"^{Action.INVITE_ROLE.value}:"),
                    MessageHandler(text, use_buttons),
                ],
                NAME: [MessageHandler(text, typed_name)],
                GROUP: [
                    CallbackQueryHandler(chose_group, pattern=f"^{Action.INVITE_GROUP.value}:"),
                    MessageHandler(text, use_buttons),
                ],
            },
            fallbacks=[CommandHandler("cancel", cancel)],
            conversation_timeout=TIMEOUT_SECONDS,
        )
    return [conversation]
