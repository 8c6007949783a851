"""``/invite``: staff invite a person in chat (role for admins, name, group) and get a link."""

from __future__ import annotations

from markupsafe import Markup
from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.i18n import Texts
from bot.services.people import contacts, invites, lookup
from bot.telegram.botinfo import deep_link
from bot.telegram.callbacks import Action, decode
from bot.telegram.rendered import Rendered
from bot.telegram.reply import edit, say
from bot.views.invite import (
    INVITABLE,
    LATER,
    contact_question,
    contacts_line,
    group_question,
    invite_ready,
    name_question,
    role_question,
)
from handlers.common import Context, services_of, who_is_staff
from handlers.conversation import cancel, conversation, draft_of, use_buttons
from handlers.doors import staff_door
from storage.models import Person, Role

ROLE, NAME, GROUP, CONTACT = range(4)
MAX_NAME = 120


@staff_door(ConversationHandler.END)
async def begin(update: Update, context: Context, person: Person) -> int:
    t = Texts(person.language)
    draft_of(context).clear()
    if person.role is Role.ADMIN:
        await say(update, role_question(t))
        return ROLE
    draft_of(context)["role"] = Role.COWORKER
    await say(update, name_question(t, Role.COWORKER))
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
    await edit(query, Rendered(name_question(t, role).text))
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
        groups = await lookup.groups_for(session, person)
    if not groups:
        await message.reply_text(t("invite.no_groups"))
        return ConversationHandler.END
    await say(update, group_question(t, groups))
    return GROUP


async def chose_group(update: Update, context: Context) -> int:
    query = update.callback_query
    person = await who_is_staff(update, context)
    if query is None or person is None:
        return ConversationHandler.END
    callback = decode(query.data)
    services = services_of(context)
    async with services.sessions() as session:
        allowed = {group.id for group in await lookup.groups_for(session, person)}
    if callback is None or callback.target not in allowed:
        await query.answer(Texts(person.language)("invite.not_your_group"), show_alert=True)
        return GROUP
    await query.answer()
    draft = draft_of(context)
    draft["group_id"] = callback.target
    if draft.get("role") is Role.COWORKER:
        staff = await _support_of(context, callback.target)
        if len(staff) >= 2:
            await say(update, contact_question(Texts(person.language), staff))
            return CONTACT
    await _create(update, context, person, group_id=callback.target)
    return ConversationHandler.END


async def _support_of(context: Context, group_id: int) -> list[Person]:
    services = services_of(context)
    async with services.sessions() as session:
        return await contacts.support_of_group(session, group_id)


async def chose_contact(update: Update, context: Context) -> int:
    """The first, then the second contact person (or "later") for the new co-worker."""
    query = update.callback_query
    person = await who_is_staff(update, context)
    if query is None or person is None:
        return ConversationHandler.END
    t = Texts(person.language)
    draft = draft_of(context)
    group_id, primary_id = draft.get("group_id"), draft.get("primary_id")
    callback = decode(query.data)
    if not isinstance(group_id, int) or callback is None or callback.target is None:
        await query.answer(t("button.unknown"), show_alert=True)
        return CONTACT
    staff = {p.id: p for p in await _support_of(context, group_id)}
    primary = staff.get(primary_id) if isinstance(primary_id, int) else None
    target = callback.target
    if target != LATER and (target not in staff or (primary is not None and target == primary.id)):
        await query.answer(t("button.unknown"), show_alert=True)
        return CONTACT
    await query.answer()
    if target != LATER and primary is None:
        draft["primary_id"] = target
        second = contact_question(t, list(staff.values()), staff[target])
        await edit(query, second)
        return CONTACT
    await query.edit_message_reply_markup(None)
    contact_ids = (primary.id, target) if primary is not None and target != LATER else None
    await _create(update, context, person, group_id=group_id, contact_ids=contact_ids)
    return ConversationHandler.END


async def _create(
    update: Update,
    context: Context,
    staff: Person,
    group_id: int | None,
    contact_ids: tuple[int, int] | None = None,
) -> None:
    draft = draft_of(context)
    role, name = draft.get("role"), draft.get("name")
    assert isinstance(role, Role) and isinstance(name, str)
    services = services_of(context)
    async with services.sessions.begin() as session:
        new = await invites.create_invite(
            services,
            session,
            role=role,
            name=name,
            group_id=group_id,
            created_by=staff,
            contact_ids=contact_ids,
        )
        chosen = await contacts.show_for_invite(session, new.person)
    draft.clear()
    link = deep_link(context.bot.username, new.code)
    t = Texts(staff.language)
    ready = invite_ready(t, name, role, link, new.invite.expires_at, services.zone)
    if role is Role.COWORKER:
        ready = Rendered(Markup("\n\n").join([ready.text, contacts_line(t, name, *chosen)]))
    await say(update, ready)


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
                CONTACT: [
                    CallbackQueryHandler(chose_contact, pattern=f"^{Action.INVITE_CONTACT.value}:"),
                    MessageHandler(text, use_buttons),
                ],
            },
            [CommandHandler("cancel", cancel)],
        )
    ]
