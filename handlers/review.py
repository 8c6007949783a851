"""``/plan`` and the review buttons: staff look at and adjust a co-worker's list.

The buttons carry only what they are about; who presses is checked on every press,
so the same buttons work in the evening review message and days later.
"""

from __future__ import annotations

from datetime import time, timedelta

from markupsafe import Markup
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.i18n import Texts
from bot.rules.capacity import HIGHEST, LOWEST
from bot.services.context import Services
from bot.services.day import held_lists
from bot.services.people import contacts
from bot.services.planning import capacity, review
from bot.services.planning.review import ReviewError
from bot.telegram.callbacks import DAY_FACTOR, NO_TIME, TIME_FACTOR, Action, decode
from bot.telegram.rendered import Rendered
from bot.views import review as views
from bot.views.capacity import BACK, SHOW, USUAL, WEEKDAY_FACTOR, capacity_picker, weekday_picker
from handlers.common import Context, button_presser, services_of, who_is_staff
from storage.models import DayPlan, Person, Role

EDITS = {
    Action.REVIEW_UP,
    Action.REVIEW_DOWN,
    Action.REVIEW_REMOVE,
    Action.REVIEW_APPROVE,
    Action.REVIEW_SET_TIME,
    Action.REVIEW_SUPPORT,
    Action.CAPACITY_SET,
    Action.CAPACITY_WEEKDAY,
}
VIEWS = {
    Action.REVIEW_COWORKER,
    Action.REVIEW_DAY,
    Action.REVIEW_SHOW,
    Action.REVIEW_TIME,
    Action.REVIEW_APPROVE_ALL,
    Action.CAPACITY,
}


async def plan_command(update: Update, context: Context) -> None:
    staff = await who_is_staff(update, context)
    if staff is None or update.effective_chat is None:
        return
    async with services_of(context).sessions() as session:
        coworkers = await contacts.coworkers_for(session, staff)
    rendered = views.choose_coworker(Texts(staff.language), coworkers)
    await update.effective_chat.send_message(rendered.text, reply_markup=rendered.markup())


async def on_review_button(update: Update, context: Context) -> None:
    pressed = await button_presser(update, context)
    if pressed is None:
        return
    query, staff = pressed
    t = Texts(staff.language)
    callback = decode(query.data)
    if staff.role is Role.COWORKER or callback is None or callback.target is None:
        await query.answer(t("button.unknown"), show_alert=True)
        return
    services = services_of(context)
    target = callback.target
    try:
        async with services.sessions.begin() as session:
            rendered = await _act(services, session, staff, t, callback.action, target)
    except ReviewError as error:
        await query.answer(t(f"review.refused.{error.refused.value}"), show_alert=True)
        return
    await query.answer()
    await query.edit_message_text(rendered.text, reply_markup=rendered.markup())


async def _act(
    services: Services,
    session: AsyncSession,
    staff: Person,
    t: Texts,
    action: Action,
    target: int,
) -> Rendered:
    if action is Action.REVIEW_COWORKER:
        coworker = await review.coworker_for(session, staff, target)
        return views.choose_day(t, coworker, services.today(), review.DAYS_AHEAD)
    if action is Action.REVIEW_DAY:
        coworker_id, offset = divmod(target, 100)
        day = services.today() + timedelta(days=offset)
        return views.review_view(t, await review.review(services, session, staff, coworker_id, day))
    if action is Action.REVIEW_TIME:
        return views.time_picker(t, await review.task_to_edit(session, staff, target))
    if action is Action.REVIEW_APPROVE_ALL:
        day = review.day_of(target)
        approved = await review.approve_all(services, session, staff, day)
        names = [(await session.get_one(Person, p.coworker_id)).display_name for p in approved]
        return views.all_approved(t, day, names)
    if action in (Action.CAPACITY, Action.CAPACITY_SET):
        return await _capacity(services, session, staff, t, action, target)
    if action is Action.CAPACITY_WEEKDAY:
        return await _weekday_capacity(services, session, staff, t, target)
    plan = await _edit(services, session, staff, action, target)
    shown = views.review_view(
        t, await review.review(services, session, staff, plan.coworker_id, plan.day)
    )
    if action in EDITS and held_lists.too_late(services, plan):
        # Approved (or changed) after the list could be sent: say so plainly.
        note = await held_lists.approved_too_late(services, session, plan, staff)
        return Rendered(Markup("\n\n").join([shown.text, note]), shown.rows)
    return shown


async def _edit(
    services: Services, session: AsyncSession, staff: Person, action: Action, target: int
) -> DayPlan:
    if action is Action.REVIEW_SHOW:
        return await review.plan_to_show(session, staff, target)
    if action is Action.REVIEW_APPROVE:
        return await review.approve(services, session, staff, target)
    if action is Action.REVIEW_REMOVE:
        return await review.remove(services, session, staff, target)
    if action is Action.REVIEW_SUPPORT:
        return await review.toggle_support(services, session, staff, target)
    if action is Action.REVIEW_SET_TIME:
        task_id, minutes = divmod(target, TIME_FACTOR)
        at = None if minutes == NO_TIME else _minutes_to_time(minutes)
        return await review.set_time(services, session, staff, task_id, at)
    step = -1 if action is Action.REVIEW_UP else 1
    return await review.move(services, session, staff, target, step)


async def _capacity(
    services: Services,
    session: AsyncSession,
    staff: Person,
    t: Texts,
    action: Action,
    target: int,
) -> Rendered:
    """The stamina picker, or the stamina chosen and the list shown again (today's,
    if the list the picker came from is no longer in range)."""
    points = BACK
    if action is Action.CAPACITY_SET:
        target, points = divmod(target, 100)
    coworker_id, ordinal = divmod(target, DAY_FACTOR)
    coworker = await review.coworker_for(session, staff, coworker_id)
    day = review.day_of(ordinal)
    if action is Action.CAPACITY:
        return capacity_picker(t, coworker, day)
    if points != BACK:
        if not LOWEST <= points <= HIGHEST:
            raise ReviewError(review.Refused.UNKNOWN)
        await capacity.set_capacity(services, session, coworker, points, actor=staff)
    if not 0 <= (day - services.today()).days < review.DAYS_AHEAD:
        day = services.today()
    return views.review_view(t, await review.review(services, session, staff, coworker.id, day))


async def _weekday_capacity(
    services: Services, session: AsyncSession, staff: Person, t: Texts, target: int
) -> Rendered:
    """A weekday's stamina chooser, or its stamina chosen and the list shown again."""
    target, packed = divmod(target, 100)
    weekday, choice = divmod(packed, WEEKDAY_FACTOR)
    coworker_id, ordinal = divmod(target, DAY_FACTOR)
    coworker = await review.coworker_for(session, staff, coworker_id)
    day = review.day_of(ordinal)
    if weekday > 6:
        raise ReviewError(review.Refused.UNKNOWN)
    if choice == SHOW:
        return weekday_picker(t, coworker, day, weekday)
    points = None if choice == USUAL else choice
    await capacity.set_weekday_capacity(services, session, coworker, weekday, points, actor=staff)
    if not 0 <= (day - services.today()).days < review.DAYS_AHEAD:
        day = services.today()
    return views.review_view(t, await review.review(services, session, staff, coworker.id, day))


def _minutes_to_time(minutes: int) -> time:
    if not 0 <= minutes < 24 * 60:
        raise ReviewError(review.Refused.UNKNOWN)
    return time(*divmod(minutes, 60))


def handlers() -> list[BaseHandler[Update, Context, None]]:
    ours = "".join(a.value for a in (*VIEWS, *EDITS))
    return [
        CommandHandler("plan", plan_command),
        CallbackQueryHandler(on_review_button, pattern=f"^[{ours}]:"),
    ]
