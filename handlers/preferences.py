"""``/settings`` and the language and morning-time buttons (also asked when joining).

In ``/settings`` a co-worker is then asked about the evening preview (``Person.
evening_preview``) and the quiet hours of the evening; joining does not ask them, to keep
the first minutes short.
"""

from __future__ import annotations

from datetime import time

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.i18n import LANGUAGES, Texts
from bot.rules import preferences as chosen_times
from bot.services.day import outlook
from bot.services.people import lookup, preferences
from bot.services.safety_net import first_list
from bot.telegram.callbacks import Action
from bot.telegram.rendered import Rendered
from bot.telegram.reply import edit, send
from bot.views.outlook import PREVIEW_OFF, PREVIEW_ON, preview_question, preview_set
from bot.views.quiet import quiet_question, quiet_set
from bot.views.start import language_question, language_set, morning_question, morning_set
from handlers.common import Context, services_of, set_menu, who_is_asking
from handlers.doors import Press, button_door, person_door
from storage.models import Person, Role

AWAITING = "awaiting"
AWAITING_MORNING = "morning_time"
IN_SETTINGS = "in_settings"  # user_data: /settings (not joining), so the preview is asked next
ASK_QUIET = "ask_quiet"  # user_data: the preview was asked in /settings; the quiet hours are next


@person_door
async def settings(update: Update, context: Context, person: Person) -> None:
    if update.effective_chat is None:
        return
    if context.user_data is not None and person.role is Role.COWORKER:
        context.user_data[IN_SETTINGS] = True
    await send(context.bot, update.effective_chat.id, language_question(Texts(person.language)))


@button_door()
async def on_choice(press: Press, context: Context) -> None:
    match press.callback.action:
        case Action.LANGUAGE:
            await _on_language(press, context)
        case Action.PREVIEW:
            await _on_preview(press, context)
        case Action.QUIET:
            await _on_quiet(press, context)
        case Action.MORNING:
            await _on_morning(press, context)
        case _:
            await press.refuse()


async def _on_language(press: Press, context: Context) -> None:
    query, person = press.query, press.person
    if not 0 <= press.target < len(LANGUAGES):
        await press.refuse()
        return
    async with services_of(context).sessions.begin() as session:
        changed = await preferences.set_language(session, person.id, LANGUAGES[press.target])
    assert changed is not None
    t = Texts(changed.language)
    await query.answer()
    await edit(query, Rendered(language_set(t).text))
    await set_menu(context, changed, query.from_user.id)
    if changed.role is Role.COWORKER:
        await _ask_morning(context, t, query.from_user.id)


async def _on_morning(press: Press, context: Context) -> None:
    query = press.query
    at = chosen_times.morning_from_minutes(press.target)
    if at is None or press.person.role is not Role.COWORKER:
        await press.refuse()
        return
    updated = await _set_morning_time(context, press.person, at)
    await query.answer()
    await edit(query, Rendered(morning_set(press.t, updated).text))
    await _ask_preview(context, updated, query.from_user.id)


async def _set_morning_time(context: Context, person: Person, at: time) -> Person:
    """The co-worker's morning time set (chosen or typed); while joining, it is the
    promise of their first list."""
    services = services_of(context)
    async with services.sessions.begin() as session:
        updated = await preferences.set_morning_time(services, session, person.id, at)
        assert updated is not None
        if _joining(context):
            await first_list.promise_first_list(services, session, updated)
    if context.user_data is not None:
        context.user_data.pop(AWAITING, None)
    return updated


def _joining(context: Context) -> bool:
    """The morning time is being chosen while joining (not in /settings): the answer
    "Din lista kommer klockan …" is the promise of the first list."""
    return context.user_data is None or not context.user_data.get(IN_SETTINGS, False)


async def _ask_preview(context: Context, person: Person, chat_id: int) -> None:
    """Next in /settings (not when joining): the evening preview, on or off."""
    if context.user_data is None or not context.user_data.pop(IN_SETTINGS, False):
        return
    context.user_data[ASK_QUIET] = True
    question = preview_question(Texts(person.language), person.evening_preview)
    await send(context.bot, chat_id, question)


async def _on_preview(press: Press, context: Context) -> None:
    query, person, t, target = press.query, press.person, press.t, press.target
    if person.role is not Role.COWORKER or target not in (PREVIEW_ON, PREVIEW_OFF):
        await press.refuse()
        return
    on = target == PREVIEW_ON
    services = services_of(context)
    async with services.sessions.begin() as session:
        updated = await outlook.set_evening_preview(session, person.id, on)
    assert updated is not None
    await query.answer()
    await edit(query, Rendered(preview_set(t, on, services.settings.evening_preview_time).text))
    if context.user_data is not None and context.user_data.pop(ASK_QUIET, False):
        await send(context.bot, query.from_user.id, quiet_question(t, updated))


async def _on_quiet(press: Press, context: Context) -> None:
    query, person, t = press.query, press.person, press.t
    start = chosen_times.quiet_start_from_minutes(press.target)
    if person.role is not Role.COWORKER or start is None:
        await press.refuse()
        return
    services = services_of(context)
    async with services.sessions.begin() as session:
        changed = await lookup.person(session, person.id)
        assert changed is not None
        end = chosen_times.QUIET_END
        await preferences.set_quiet_hours(services, session, changed, start, end, actor=changed)
        lost = preferences.preview_in_quiet_hours(services, changed)
    await query.answer()
    preview_at = services.settings.evening_preview_time if lost else None
    await edit(query, Rendered(quiet_set(t, start, end, preview_at).text))


async def _ask_morning(context: Context, t: Texts, chat_id: int) -> None:
    if context.user_data is not None:
        context.user_data[AWAITING] = AWAITING_MORNING
    await send(context.bot, chat_id, morning_question(t))


def awaiting_morning_time(context: Context) -> bool:
    return context.user_data is not None and context.user_data.get(AWAITING) == AWAITING_MORNING


async def on_typed_morning_time(update: Update, context: Context, text: str) -> None:
    """Called by the message door while a co-worker is asked for their morning time."""
    person = await who_is_asking(update, context)
    message = update.effective_message
    if person is None or message is None:
        return
    t = Texts(person.language)
    at = chosen_times.parse_morning_time(text)
    if at is None:
        await message.reply_text(t("join.bad_time"))
        return
    updated = await _set_morning_time(context, person, at)
    await message.reply_text(morning_set(t, updated).text)
    await _ask_preview(context, updated, message.chat_id)


def handlers() -> list[BaseHandler[Update, Context, None]]:
    actions = (Action.LANGUAGE, Action.MORNING, Action.PREVIEW, Action.QUIET)
    choices = f"^[{''.join(action.value for action in actions)}]:"
    return [CommandHandler("settings", settings), CallbackQueryHandler(on_choice, pattern=choices)]
