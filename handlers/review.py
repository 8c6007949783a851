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

from bot.context import Services
from bot.i18n import Texts
from bot.rules.capacity import HIGHEST, LOWEST
from bot.services import access
from bot.services.access import ReviewError
from bot.services.people import contacts, lookup
from bot.services.planning import capacity, review
from bot.services.safety_net import held_lists
from bot.telegram.callbacks import (
    NO_TIME,
    Action,
    CapacitySet,
    CoworkerDay,
    ReviewDay,
    ReviewTime,
    WeekdayCapacity,
)
from bot.telegram.rendered import Rendered
from bot.telegram.reply import reply, say
from bot.views import review as views
from bot.views.capacity import BACK, SHOW, USUAL, capacity_picker, weekday_picker
from handlers.common import Context
from handlers.doors import STAFF, Press, button_door, staff_door
from storage.models import DayPlan, Person

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


@staff_door(None)
async def plan_command(update: Update, context: Context, staff: Person) -> None:
    async with context.services.sessions() as session:
        coworkers = await contacts.coworkers_for(session, staff)
    await say(update, views.choose_coworker(Texts(staff.language), coworkers))


@button_door(roles=STAFF)
async def on_review_button(press: Press, context: Context) -> None:
    staff, t = press.person, press.t
    services = context.services
    try:
        async with services.sessions.begin() as session:
            rendered = await _act(services, session, staff, t, press.callback.action, press.target)
    except ReviewError as error:
        await press.refuse(f"review.refused.{error.refused.value}")
        return
    await reply(press.update, rendered)


async def _act(
    services: Services,
    session: AsyncSession,
    staff: Person,
    t: Texts,
    action: Action,
    target: int,
) -> Rendered:
    if action is Action.REVIEW_COWORKER:
        coworker = await access.coworker_for(session, staff, target)
        return views.choose_day(t, coworker, services.today(), review.DAYS_AHEAD)
    if action is Action.REVIEW_DAY:
        asked = ReviewDay.decode(target)
        day = services.today() + timedelta(days=asked.days_ahead)
        return views.review_view(
            t, await review.review(services, session, staff, asked.coworker_id, day)
        )
    if action is Action.REVIEW_TIME:
        return views.time_picker(t, await review.task_to_edit(session, staff, target))
    if action is Action.REVIEW_APPROVE_ALL:
        day = review.day_of(target)
        approved = await review.approve_all(services, session, staff, day)
        names = await lookup.display_names(session, [p.coworker_id for p in approved])
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
        chosen = ReviewTime.decode(target)
        at = None if chosen.minutes == NO_TIME else _minutes_to_time(chosen.minutes)
        return await review.set_time(services, session, staff, chosen.task_id, at)
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
    if action is Action.CAPACITY_SET:
        chosen = CapacitySet.decode(target)
        shown, points = chosen.day, chosen.points
    else:
        shown, points = CoworkerDay.decode(target), BACK
    coworker = await access.coworker_for(session, staff, shown.coworker_id)
    day = review.day_of(shown.ordinal)
    if action is Action.CAPACITY:
        return capacity_picker(t, coworker, day)
    if points != BACK:
        if not LOWEST <= points <= HIGHEST:
            raise ReviewError(access.Refused.UNKNOWN)
        await capacity.set_capacity(services, session, coworker, points, actor=staff)
    if not 0 <= (day - services.today()).days < review.DAYS_AHEAD:
        day = services.today()
    return views.review_view(t, await review.review(services, session, staff, coworker.id, day))


async def _weekday_capacity(
    services: Services, session: AsyncSession, staff: Person, t: Texts, target: int
) -> Rendered:
    """A weekday's stamina chooser, or its stamina chosen and the list shown again."""
    chosen = WeekdayCapacity.decode(target)
    weekday, choice = chosen.weekday, chosen.choice
    coworker = await access.coworker_for(session, staff, chosen.day.coworker_id)
    day = review.day_of(chosen.day.ordinal)
    if weekday > 6:
        raise ReviewError(access.Refused.UNKNOWN)
    if choice == SHOW:
        return weekday_picker(t, coworker, day, weekday)
    points = None if choice == USUAL else choice
    await capacity.set_weekday_capacity(services, session, coworker, weekday, points, actor=staff)
    if not 0 <= (day - services.today()).days < review.DAYS_AHEAD:
        day = services.today()
    return views.review_view(t, await review.review(services, session, staff, coworker.id, day))


def _minutes_to_time(minutes: int) -> time:
    if not 0 <= minutes < 24 * 60:
        raise ReviewError(access.Refused.UNKNOWN)
    return time(*divmod(minutes, 60))


def handlers() -> list[BaseHandler[Update, Context, None]]:
    ours = "".join(a.value for a in (*VIEWS, *EDITS))
    return [
        CommandHandler("plan", plan_command),
        CallbackQueryHandler(on_review_button, pattern=f"^[{ours}]:"),
    ]
