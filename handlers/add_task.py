"""``/add`` and ➕ in a review: a support person puts a catalogue task on a co-worker's
days, once or on repeat, finding it by typing part of its name.

``/add``: co-worker → task → how often → day or weekdays → time. From a review the
co-worker and day are known: task → time, and the review is shown again.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import time, timedelta
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
from bot.rules.recurrence import Preset
from bot.services import access
from bot.services.access import ReviewError
from bot.services.catalogue import search
from bot.services.errors import OrganisationError
from bot.services.people import contacts
from bot.services.people.rota import parse_clock
from bot.services.planning import review
from bot.telegram.callbacks import NO_TIME, Action, CoworkerDay
from bot.telegram.reply import reply
from bot.views import add_task as views
from bot.views import review as review_views
from handlers.add_task_save import refused, save
from handlers.common import Context, services_of, who_is_staff
from handlers.conversation import cancel, conversation, draft_of, staff_press, use_buttons
from handlers.doors import staff_door
from storage.models import Person

COWORKER, TASK, OFTEN, DAY, WEEKDAYS, TIME = range(6)
SHOWN = 8  # task buttons shown at a time
MAX_TYPED = 120
_TIMES = frozenset({NO_TIME, *range(24 * 60)})  # a time's button: none, or minutes
Step = Callable[[Update, Context], Coroutine[Any, Any, int]]


@staff_door(ConversationHandler.END)
async def begin(update: Update, context: Context, staff: Person) -> int:
    draft_of(context).clear()
    async with services_of(context).sessions() as session:
        coworkers = await contacts.coworkers_for(session, staff)
    await reply(
        update,
        review_views.choose_coworker(
            Texts(staff.language), coworkers, Action.ADD_COWORKER, "add.which_coworker"
        ),
    )
    return COWORKER if coworkers else ConversationHandler.END


async def from_review(update: Update, context: Context) -> int:
    """➕ in a review: the co-worker and the day come with the button."""
    pressed = await staff_press(update, context)
    if pressed is None:
        return ConversationHandler.END
    staff, t, target = pressed
    pressed_day = CoworkerDay.decode(target)
    coworker_id, ordinal = pressed_day.coworker_id, pressed_day.ordinal
    services = services_of(context)
    try:
        day = review.day_of(ordinal)
        review.check_in_range(services, day)
        async with services.sessions() as session:
            coworker = await access.coworker_for(session, staff, coworker_id)
    except ReviewError as error:
        return await refused(update, t, f"review.refused.{error.refused.value}")
    draft = draft_of(context)
    draft.clear()
    draft.update(coworker_id=coworker.id, day=day, from_review=True)
    return await _ask_task(update, context, t, coworker)


async def chose_coworker(update: Update, context: Context) -> int:
    pressed = await staff_press(update, context)
    if pressed is None:
        return COWORKER
    staff, t, target = pressed
    try:
        async with services_of(context).sessions() as session:
            coworker = await access.coworker_for(session, staff, target)
    except ReviewError as error:
        return await refused(update, t, f"review.refused.{error.refused.value}")
    draft_of(context)["coworker_id"] = coworker.id
    return await _ask_task(update, context, t, coworker)


async def _ask_task(update: Update, context: Context, t: Texts, coworker: Person) -> int:
    async with services_of(context).sessions() as session:
        suggestions = await search.titles_matching(session, "", SHOWN)
    await reply(update, views.which_task(t, coworker, suggestions))
    return TASK


async def typed_search(update: Update, context: Context) -> int:
    staff = await who_is_staff(update, context)
    message = update.effective_message
    if staff is None or message is None or message.text is None:
        return ConversationHandler.END
    typed = " ".join(message.text.split())[:MAX_TYPED]
    async with services_of(context).sessions() as session:
        found = await search.titles_matching(session, typed, SHOWN)
    await reply(update, views.matches(Texts(staff.language), typed, found))
    return TASK


async def chose_task(update: Update, context: Context) -> int:
    pressed = await staff_press(update, context)
    if pressed is None:
        return TASK
    _, t, target = pressed
    async with services_of(context).sessions() as session:
        template = await search.active_template(session, target)
    if template is None:
        assert update.callback_query is not None
        await update.callback_query.answer(t("review.refused.no_task"), show_alert=True)
        return TASK
    draft = draft_of(context)
    draft.update(template_id=template.id, title=template.title)
    if draft.get("from_review"):
        await reply(update, views.which_time(t))
        return TIME
    await reply(update, views.how_often(t, template.title))
    return OFTEN


async def chose_often(update: Update, context: Context) -> int:
    pressed = await staff_press(update, context, among=range(len(views.OFTEN)))
    if pressed is None:
        return OFTEN
    _, t, target = pressed
    preset = views.OFTEN[target]
    draft = draft_of(context)
    draft.update(preset=preset, weekdays=[])
    if preset is Preset.ONE_DAY:
        await reply(update, views.which_day(t, services_of(context).today(), review.DAYS_AHEAD))
        return DAY
    if preset is Preset.WEEKDAYS:
        await reply(update, views.which_time(t))
        return TIME
    await reply(update, views.which_weekdays(t, []))
    return WEEKDAYS


async def chose_day(update: Update, context: Context) -> int:
    pressed = await staff_press(update, context, among=range(review.DAYS_AHEAD))
    if pressed is None:
        return DAY
    _, t, offset = pressed
    draft_of(context)["day"] = services_of(context).today() + timedelta(days=offset)
    await reply(update, views.which_time(t))
    return TIME


async def toggled_weekday(update: Update, context: Context) -> int:
    pressed = await staff_press(update, context, among=range(views.WEEKDAYS_DONE + 1))
    if pressed is None:
        return WEEKDAYS
    _, t, target = pressed
    chosen = draft_of(context).setdefault("weekdays", [])
    assert isinstance(chosen, list)
    if target == views.WEEKDAYS_DONE:
        if not chosen:
            assert update.callback_query is not None
            await update.callback_query.answer(t("add.weekdays_none"), show_alert=True)
            return WEEKDAYS
        await reply(update, views.which_time(t))
        return TIME
    if target in chosen:
        chosen.remove(target)
    else:
        chosen.append(target)
    await reply(update, views.which_weekdays(t, chosen))
    return WEEKDAYS


async def chose_time(update: Update, context: Context) -> int:
    pressed = await staff_press(update, context, among=_TIMES)
    if pressed is None:
        return TIME
    _, _, minutes = pressed
    if minutes == NO_TIME:
        return await save(update, context, None)
    return await save(update, context, time(*divmod(minutes, 60)))


async def typed_time(update: Update, context: Context) -> int:
    staff = await who_is_staff(update, context)
    message = update.effective_message
    if staff is None or message is None or message.text is None:
        return ConversationHandler.END
    try:
        at = parse_clock(message.text)
    except OrganisationError:
        await message.reply_text(Texts(staff.language)("add.bad_time"))
        return TIME
    return await save(update, context, at)


def handlers() -> list[BaseHandler[Update, Context, object]]:
    text = filters.TEXT & ~filters.COMMAND

    def pressed(action: Action, step: Step) -> BaseHandler[Update, Context, object]:
        return CallbackQueryHandler(step, pattern=f"^{action.value}:")

    buttons_only: BaseHandler[Update, Context, object] = MessageHandler(text, use_buttons)
    return [
        conversation(
            [CommandHandler("add", begin), pressed(Action.REVIEW_ADD, from_review)],
            {
                COWORKER: [pressed(Action.ADD_COWORKER, chose_coworker), buttons_only],
                TASK: [pressed(Action.ADD_PICK, chose_task), MessageHandler(text, typed_search)],
                OFTEN: [pressed(Action.ADD_OFTEN, chose_often), buttons_only],
                DAY: [pressed(Action.ADD_DAY, chose_day), buttons_only],
                WEEKDAYS: [pressed(Action.ADD_WEEKDAY, toggled_weekday), buttons_only],
                TIME: [pressed(Action.ADD_TIME, chose_time), MessageHandler(text, typed_time)],
            },
            [CommandHandler("cancel", cancel)],
        )
    ]
