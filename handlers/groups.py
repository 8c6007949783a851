"""``/group``: staff look after a group in chat: add a support person, move a co-worker in."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

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
from bot.services.errors import OrganisationError
from bot.services.people import lookup, organisation
from bot.telegram.callbacks import Action
from bot.telegram.rendered import Rendered
from bot.telegram.reply import reply
from bot.views import groups as views
from bot.views.groups import Menu
from handlers.common import Context, services_of
from handlers.conversation import cancel, conversation, draft_of, offered_press, use_buttons
from handlers.doors import staff_door
from storage.models import Person

GROUP, MENU, PERSON = range(3)
Step = Callable[[Update, Context], Coroutine[Any, Any, int]]


@staff_door(ConversationHandler.END)
async def begin(update: Update, context: Context, staff: Person) -> int:
    async with services_of(context).sessions() as session:
        groups = await lookup.groups_for(session, staff)
    draft = draft_of(context)
    draft.clear()
    draft["offered"] = {g.id for g in groups}
    await reply(update, views.choose_group(Texts(staff.language), groups))
    return GROUP if groups else ConversationHandler.END


async def opened(update: Update, context: Context) -> int:
    pressed = await offered_press(update, context)
    if pressed is None:
        return GROUP
    _, t, group_id = pressed
    await _show_group(update, context, t, group_id)
    return MENU


async def _show_group(update: Update, context: Context, t: Texts, group_id: int) -> None:
    async with services_of(context).sessions() as session:
        group = await organisation.overview(session, group_id)
    draft_of(context).update(group=group_id, offered={int(m) for m in Menu})
    await reply(update, views.overview(t, group))


async def chose_menu(update: Update, context: Context) -> int:
    pressed = await offered_press(update, context)
    if pressed is None:
        return MENU
    staff, t, choice = pressed
    group_id = int(str(draft_of(context)["group"]))
    async with services_of(context).sessions() as session:
        if choice == Menu.ADD_STAFF:
            people = await organisation.staff_to_add(session, group_id)
            key = "groups.which_staff"
        else:
            allowed = await lookup.groups_for(session, staff)
            people = await organisation.coworkers_to_move(session, group_id, allowed)
            key = "groups.which_coworker"
    draft_of(context).update(menu=choice, offered={p.id for p in people})
    await reply(update, views.choose_person(t, key, people))
    return PERSON if people else ConversationHandler.END


async def chose_person(update: Update, context: Context) -> int:
    pressed = await offered_press(update, context)
    if pressed is None:
        return PERSON
    staff, t, person_id = pressed
    draft = draft_of(context)
    group_id = int(str(draft["group"]))
    services = services_of(context)
    try:
        async with services.sessions.begin() as session:
            if draft.get("menu") == Menu.ADD_STAFF:
                await organisation.add_staff(
                    services, session, f"#{group_id}", f"#{person_id}", actor=staff
                )
            else:
                await organisation.move_coworker(
                    services, session, f"#{person_id}", f"#{group_id}", actor=staff
                )
    except OrganisationError as error:
        await reply(update, Rendered(error.text(t)))
        return ConversationHandler.END
    await _show_group(update, context, t, group_id)
    return MENU


def handlers() -> list[BaseHandler[Update, Context, object]]:
    typed: BaseHandler[Update, Context, object] = MessageHandler(
        filters.TEXT & ~filters.COMMAND, use_buttons
    )

    def on(action: Action, step: Step) -> BaseHandler[Update, Context, object]:
        return CallbackQueryHandler(step, pattern=f"^{action.value}:")

    return [
        conversation(
            CommandHandler("group", begin),
            {
                GROUP: [on(Action.GROUP_OPEN, opened), typed],
                MENU: [on(Action.GROUP_MENU, chose_menu), typed],
                PERSON: [on(Action.GROUP_PERSON, chose_person), typed],
            },
            [CommandHandler("cancel", cancel)],
        )
    ]
