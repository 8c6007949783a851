"""``/add`` and ➕ in a review: a support person puts a catalogue task on a co-worker's
days, once or on repeat, finding it by typing part of its name.

``/add``: co-worker → task → how often → day or weekdays → time. From a review the
co-worker and day are known: task → time, and the review is shown again.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import date, time, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
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
from bot.services.context import Services
from bot.services.people import contacts
from bot.services.people.organisation import OrganisationError
from bot.services.people.rota import parse_clock
from bot.services.planning import add_task, review
from bot.services.planning.review import ReviewError
from bot.telegram.callbacks import DAY_FACTOR, NO_TIME, Action, decode
from bot.telegram.rendered import Rendered
from bot.views import add_task as views
from bot.views import review as review_views
from handlers.common import Context, services_of, who_is_staff
from handlers.conversation import cancel, conversation, draft_of, show, use_buttons
from storage.models import Person
from storage.repos import catalogue as catalogue_repo

COWORKER, TASK, OFTEN, DAY, WEEKDAYS, TIME = range(6)
SHOWN = 8  # task buttons shown at a time
MAX_TYPED = 120
Step = Callable[[Update, Context], Coroutine[Any, Any, int]]


async def _pressed(update: Update, context: Context) -> tuple[Person, Texts, int] | None:
    staff = await who_is_staff(update, context)
    callback = decode(update.callback_query.data) if update.callback_query else None
    if staff is None or callback is None or callback.target is None:
        if staff is not None and update.callback_query is not None:
            await update.callback_query.answer(Texts(staff.language)("button.unknown"))
        return None
    return staff, Texts(staff.language), callback.target


async def _refused(update: Update, t: Texts, key: str) -> int:
    if update.callback_query is not None:
        await update.callback_query.answer(t(key), show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(t(key))
    return ConversationHandler.END


async def begin(update: Update, context: Context) -> int:
    staff = await who_is_staff(update, context)
    if staff is None:
        return ConversationHandler.END
    draft_of(context).clear()
    async with services_of(context).sessions() as session:
        coworkers = await contacts.coworkers_for(session, staff)
    await show(
        update,
        review_views.choose_coworker(
            Texts(staff.language), coworkers, Action.ADD_COWORKER, "add.which_coworker"
        ),
    )
    return COWORKER if coworkers else ConversationHandler.END


async def from_review(update: Update, context: Context) -> int:
    """➕ in a review: the co-worker and the day come with the button."""
    pressed = await _pressed(update, context)
    if pressed is None:
        return ConversationHandler.END
    staff, t, target = pressed
    coworker_id, ordinal = divmod(target, DAY_FACTOR)
    services = services_of(context)
    try:
        day = review.day_of(ordinal)
        review.check_in_range(services, day)
        async with services.sessions() as session:
            coworker = await review.coworker_for(session, staff, coworker_id)
    except ReviewError as error:
        return await _refused(update, t, f"review.refused.{error.refused.value}")
    draft = draft_of(context)
    draft.clear()
    draft.update(coworker_id=coworker.id, day=day, from_review=True)
    return await _ask_task(update, context, t, coworker)


async def chose_coworker(update: Update, context: Context) -> int:
    pressed = await _pressed(update, context)
    if pressed is None:
        return COWORKER
    staff, t, target = pressed
    try:
        async with services_of(context).sessions() as session:
            coworker = await review.coworker_for(session, staff, target)
    except ReviewError as error:
        return await _refused(update, t, f"review.refused.{error.refused.value}")
    draft_of(context)["coworker_id"] = coworker.id
    return await _ask_task(update, context, t, coworker)


async def _ask_task(update: Update, context: Context, t: Texts, coworker: Person) -> int:
    async with services_of(context).sessions() as session:
        suggestions = await catalogue_repo.titles_matching(session, "", SHOWN)
    await show(update, views.which_task(t, coworker, suggestions))
    return TASK


async def typed_search(update: Update, context: Context) -> int:
    staff = await who_is_staff(update, context)
    message = update.effective_message
    if staff is None or message is None or message.text is None:
        return ConversationHandler.END
    typed = " ".join(message.text.split())[:MAX_TYPED]
    async with services_of(context).sessions() as session:
        found = await catalogue_repo.titles_matching(session, typed, SHOWN)
    await show(update, views.matches(Texts(staff.language), typed, found))
    return TASK


async def chose_task(update: Update, context: Context) -> int:
    pressed = await _pressed(update, context)
    if pressed is None:
        return TASK
    _, t, target = pressed
    async with services_of(context).sessions() as session:
        template = await catalogue_repo.active_template(session, target)
    if template is None:
        assert update.callback_query is not None
        await update.callback_query.answer(t("review.refused.no_task"), show_alert=True)
        return TASK
    draft = draft_of(context)
    draft.update(template_id=template.id, title=template.title)
    if draft.get("from_review"):
        await show(update, views.which_time(t))
        return TIME
    await show(update, views.how_often(t, template.title))
    return OFTEN


async def chose_often(update: Update, context: Context) -> int:
    pressed = await _pressed(update, context)
    if pressed is None or not 0 <= pressed[2] < len(views.OFTEN):
        return OFTEN
    _, t, target = pressed
    preset = views.OFTEN[target]
    draft = draft_of(context)
    draft.update(preset=preset, weekdays=[])
    if preset is Preset.ONE_DAY:
        await show(update, views.which_day(t, services_of(context).today(), review.DAYS_AHEAD))
        return DAY
    if preset is Preset.WEEKDAYS:
        await show(update, views.which_time(t))
        return TIME
    await show(update, views.which_weekdays(t, []))
    return WEEKDAYS


async def chose_day(update: Update, context: Context) -> int:
    pressed = await _pressed(update, context)
    if pressed is None or not 0 <= pressed[2] < review.DAYS_AHEAD:
        return DAY
    _, t, offset = pressed
    draft_of(context)["day"] = services_of(context).today() + timedelta(days=offset)
    await show(update, views.which_time(t))
    return TIME


async def toggled_weekday(update: Update, context: Context) -> int:
    pressed = await _pressed(update, context)
    if pressed is None or not 0 <= pressed[2] <= views.WEEKDAYS_DONE:
        return WEEKDAYS
    _, t, target = pressed
    chosen = draft_of(context).setdefault("weekdays", [])
    assert isinstance(chosen, list)
    if target == views.WEEKDAYS_DONE:
        if not chosen:
            assert update.callback_query is not None
            await update.callback_query.answer(t("add.weekdays_none"), show_alert=True)
            return WEEKDAYS
        await show(update, views.which_time(t))
        return TIME
    if target in chosen:
        chosen.remove(target)
    else:
        chosen.append(target)
    await show(update, views.which_weekdays(t, chosen))
    return WEEKDAYS


async def chose_time(update: Update, context: Context) -> int:
    pressed = await _pressed(update, context)
    if pressed is None:
        return TIME
    _, _, minutes = pressed
    if minutes == NO_TIME:
        return await _save(update, context, None)
    if not 0 <= minutes < 24 * 60:
        return TIME
    return await _save(update, context, time(*divmod(minutes, 60)))


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
    return await _save(update, context, at)


async def _save(update: Update, context: Context, at: time | None) -> int:
    staff = await who_is_staff(update, context)
    if staff is None:
        return ConversationHandler.END
    t = Texts(staff.language)
    draft = dict(draft_of(context))
    draft_of(context).clear()
    services = services_of(context)
    try:
        async with services.sessions.begin() as session:
            rendered = await _store(services, session, staff, t, draft, at)
    except ReviewError as error:
        return await _refused(update, t, f"review.refused.{error.refused.value}")
    except OrganisationError as error:
        await _say(update, error.text(t))
        return ConversationHandler.END
    await show(update, rendered)
    if draft.get("from_review"):
        day, coworker_id = draft["day"], draft["coworker_id"]
        assert isinstance(day, date) and isinstance(coworker_id, int)
        async with services.sessions.begin() as session:
            shown = await review.review(services, session, staff, coworker_id, day)
        await _send(update, review_views.review_view(t, shown))
    return ConversationHandler.END


async def _store(
    services: Services,
    session: AsyncSession,
    staff: Person,
    t: Texts,
    draft: dict[str, object],
    at: time | None,
) -> Rendered:
    coworker_id, template_id = draft.get("coworker_id"), draft.get("template_id")
    title, day, preset = draft.get("title"), draft.get("day"), draft.get("preset")
    if not isinstance(coworker_id, int) or not isinstance(template_id, int):
        raise ReviewError(review.Refused.NO_TASK)  # the conversation lost its way (timeout)
    assert isinstance(title, str)
    coworker = await review.coworker_for(session, staff, coworker_id)
    if isinstance(day, date):
        added = await add_task.add_for(
            services,
            session,
            staff,
            coworker_id=coworker_id,
            template_id=template_id,
            day=day,
            at=at,
        )
        return views.added_once(t, coworker, title, day, at, added.told_coworker)
    assert isinstance(preset, Preset)
    weekdays = draft.get("weekdays") or []
    assert isinstance(weekdays, list)
    await add_task.repeat_for(
        services,
        session,
        staff,
        coworker_id=coworker_id,
        template_id=template_id,
        preset=preset,
        weekdays=weekdays,
        at=at,
    )
    return views.added_repeat(t, coworker, title, preset, weekdays, at)


async def _say(update: Update, text: str) -> None:
    if update.effective_chat is not None:
        await update.effective_chat.send_message(text)


async def _send(update: Update, rendered: Rendered) -> None:
    if update.effective_chat is not None:
        await update.effective_chat.send_message(rendered.text, reply_markup=rendered.markup())


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
