"""``/invite``: staff invite a person in chat (role for admins, name, group) and get a link."""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.botinfo import deep_link
from bot.callbacks import Action, decode
from bot.i18n import Texts
from bot.services import invites
from bot.views.invite import INVITABLE, group_question, invite_ready, name_question, role_question
from bot.views.rendered import Rendered
from handlers.common import Context, services_of, who_is_staff
from handlers.conversation import cancel, conversation, draft_of, use_buttons
from storage.models import Person, Role
from storage.repos import people as people_repo

ROLE, NAME, GROUP = range(3)
MAX_NAME = 120


async def _say(update: Update, rendered: Rendered) -> None:
    if update.effective_chat is not None:
        await update.effective_chat.send_message(rendered.text, reply_markup=rendered.markup())


async def begin(update: Update, context: Context) -> int:
    person = await who_is_staff(update, context)
    if person is None:
        return ConversationHandler.END
    t = Texts(person.language)
    draft_of(context).clear()
    if person.role is Role.ADMIN:
        await _say(update, role_question(t))
        return ROLE
    draft_of(context)["role"] = Role.COWORKER
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
    draft_of(context)["role"] = role
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
    draft = draft_of(context)
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
    draft = draft_of(context)
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


def handlers() -> list[BaseHandler[Update, Context, object]]:
    text = filters.TEXT & ~filters.COMMAND
    return [
        conversation(
            CommandHandler("invite", begin),
            {
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
            [CommandHandler("cancel", cancel)],
        )
    ]
