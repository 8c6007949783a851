"""``/contacts``: staff choose a co-worker's two contact persons with buttons."""

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
from bot.services.people import contacts, lookup
from bot.telegram.callbacks import Action
from bot.telegram.rendered import Rendered
from bot.telegram.reply import reply
from bot.views import contacts as views
from handlers.common import Context, services_of
from handlers.conversation import cancel, conversation, draft_of, offered_press, use_buttons
from handlers.doors import staff_door
from storage.models import Person

COWORKER, PRIMARY, SECONDARY = range(3)


@staff_door(ConversationHandler.END)
async def begin(update: Update, context: Context, staff: Person) -> int:
    services = services_of(context)
    async with services.sessions() as session:
        coworkers = await contacts.coworkers_for(session, staff)
    draft = draft_of(context)
    draft.clear()
    draft["offered"] = {p.id for p in coworkers}
    await reply(update, views.choose_coworker(Texts(staff.language), coworkers))
    return COWORKER if coworkers else ConversationHandler.END


async def chose_coworker(update: Update, context: Context) -> int:
    draft = draft_of(context)
    pressed = await offered_press(update, context)
    if pressed is None:
        return COWORKER
    staff, t, coworker_id = pressed
    services = services_of(context)
    async with services.sessions.begin() as session:
        current = await contacts.show_contacts(services, session, f"#{coworker_id}", actor=staff)
        staff_list = await contacts.candidates_for(session, current.coworker)
    draft.update(coworker=coworker_id, offered={p.id for p in staff_list})
    await reply(update, views.choose_primary(t, current, staff_list))
    return PRIMARY


async def chose_primary(update: Update, context: Context) -> int:
    draft = draft_of(context)
    pressed = await offered_press(update, context)
    if pressed is None:
        return PRIMARY
    _, t, primary_id = pressed
    services = services_of(context)
    async with services.sessions() as session:
        coworker = await lookup.person(session, int(str(draft["coworker"])))
        primary = await lookup.person(session, primary_id)
        assert coworker is not None and primary is not None
        staff_list = await contacts.candidates_for(session, coworker)
    draft.update(primary=primary_id, offered={p.id for p in staff_list} - {primary_id})
    await reply(update, views.choose_secondary(t, primary, staff_list))
    return SECONDARY


async def chose_secondary(update: Update, context: Context) -> int:
    draft = draft_of(context)
    pressed = await offered_press(update, context)
    if pressed is None:
        return SECONDARY
    staff, t, secondary_id = pressed
    services = services_of(context)
    try:
        async with services.sessions.begin() as session:
            result = await contacts.set_contacts(
                services,
                session,
                f"#{draft['coworker']}",
                f"#{draft['primary']}",
                f"#{secondary_id}",
                actor=staff,
            )
    except OrganisationError as error:
        await reply(update, Rendered(error.text(t)))
        return ConversationHandler.END
    draft.clear()
    await reply(update, Rendered(views.current(t, result)))
    return ConversationHandler.END


def handlers() -> list[BaseHandler[Update, Context, object]]:
    typed: BaseHandler[Update, Context, object] = MessageHandler(
        filters.TEXT & ~filters.COMMAND, use_buttons
    )
    return [
        conversation(
            CommandHandler("contacts", begin),
            {
                COWORKER: [_on(Action.CONTACT_COWORKER, chose_coworker), typed],
                PRIMARY: [_on(Action.CONTACT_PRIMARY, chose_primary), typed],
                SECONDARY: [_on(Action.CONTACT_SECONDARY, chose_secondary), typed],
            },
            [CommandHandler("cancel", cancel)],
        )
    ]


def _on(
    action: Action, step: Callable[[Update, Context], Coroutine[Any, Any, int]]
) -> BaseHandler[Update, Context, object]:
    return CallbackQueryHandler(step, pattern=f"^{action.value}:")
