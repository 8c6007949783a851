"""``/repeat`` and its buttons: staff list, pause, change and end a co-worker's
recurring tasks. Every press checks that the co-worker is still the presser's."""

from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.context import Services
from bot.i18n import Texts
from bot.rules.recurrence import preset_of
from bot.rules.repeating import Repeating
from bot.services import access
from bot.services.access import Refused, ReviewError
from bot.services.errors import OrganisationError
from bot.services.people import contacts, organisation
from bot.services.planning import recurring
from bot.telegram.callbacks import NO_TIME, Action, RepeatDays, RepeatOp, RepeatTime
from bot.telegram.rendered import Rendered
from bot.telegram.reply import reply, say
from bot.views import recurring as views
from handlers.common import Context
from handlers.doors import STAFF, Press, button_door, staff_door
from storage.models import Person

ACTIONS = (Action.REPEAT_LIST, Action.REPEAT, Action.REPEAT_DAYS, Action.REPEAT_TIME)


@staff_door(None)
async def repeat_command(update: Update, context: Context, staff: Person) -> None:
    """``/repeat`` asks whose; ``/repeat Kim`` lists Kim's recurring tasks."""
    if update.effective_chat is None:
        return
    t = Texts(staff.language)
    services = context.services
    name = " ".join(context.args or [])
    async with services.sessions.begin() as session:
        if not name:
            rendered = views.which_coworker(t, await contacts.coworkers_for(session, staff))
        else:
            try:
                coworker = await organisation.find_coworker(session, name)
                rendered = await _list(services, session, staff, t, coworker.id)
            except OrganisationError as error:
                rendered = Rendered(error.text(t))
            except ReviewError as error:
                rendered = Rendered(t(f"review.refused.{error.refused.value}"))
    await say(update, rendered)


@button_door(roles=STAFF)
async def on_button(press: Press, context: Context) -> None:
    staff, t = press.person, press.t
    services = context.services
    try:
        async with services.sessions.begin() as session:
            rendered = await _act(services, session, staff, t, press.callback.action, press.target)
    except ReviewError as error:
        await press.refuse(f"review.refused.{error.refused.value}")
        return
    except OrganisationError as error:
        await press.query.answer(error.text(t), show_alert=True)
        return
    await reply(press.update, rendered)


async def _list(
    services: Services, session: AsyncSession, staff: Person, t: Texts, coworker_id: int
) -> Rendered:
    coworker = await access.coworker_for(session, staff, coworker_id)
    found = await recurring.of_coworker(session, coworker)
    return views.repeats(t, coworker, found, services.today())


async def _act(
    services: Services,
    session: AsyncSession,
    staff: Person,
    t: Texts,
    action: Action,
    target: int,
) -> Rendered:
    if action is Action.REPEAT_LIST:
        return await _list(services, session, staff, t, target)
    pressed: RepeatDays | RepeatTime | RepeatOp
    if action is Action.REPEAT_DAYS:
        pressed = RepeatDays.decode(target)
    elif action is Action.REPEAT_TIME:
        pressed = RepeatTime.decode(target)
    else:
        pressed = RepeatOp.decode(target)
    recurrence_id = pressed.recurrence_id
    try:
        each = await recurring.find(session, recurrence_id)
    except OrganisationError:
        raise ReviewError(Refused.UNKNOWN) from None
    coworker = await access.coworker_for(session, staff, each.recurrence.coworker_id)
    today = services.today()
    if isinstance(pressed, RepeatDays):
        if not pressed.save:
            return views.day_picker(t, each, pressed.mask)
        days = views.days_of(pressed.mask)
        await recurring.change_days(services, session, coworker, each, days, actor=staff)
    elif isinstance(pressed, RepeatTime):
        at = None if pressed.minutes == NO_TIME else _clock(pressed.minutes)
        await recurring.change_time(services, session, coworker, each, at, actor=staff)
    else:
        done = await _op(services, session, staff, t, coworker, each, pressed.op)
        if done is not None:
            return done
    return views.repeat(t, coworker, each, today)


async def _op(
    services: Services,
    session: AsyncSession,
    staff: Person,
    t: Texts,
    coworker: Person,
    each: Repeating,
    op_value: int,
) -> Rendered | None:
    """Do an :class:`~bot.views.recurring.Op`; what to show instead of the task, if not it."""
    try:
        op = views.Op(op_value)
    except ValueError:
        raise ReviewError(Refused.UNKNOWN) from None
    today = services.today()
    if op in (views.Op.PAUSE_1, views.Op.PAUSE_2, views.Op.PAUSE_4):
        last = today + timedelta(weeks=views.PAUSE_WEEKS[op], days=-1)
        await recurring.pause(services, session, coworker, each, today, last, actor=staff)
    elif op is views.Op.RESUME:
        await recurring.resume(services, session, coworker, each, actor=staff)
    elif op is views.Op.ASK_END:
        return views.confirm_end(t, coworker, each)
    elif op is views.Op.END:
        await recurring.end(services, session, coworker, each, actor=staff)
        return await _list(services, session, staff, t, coworker.id)
    elif op is views.Op.DAYS:
        shape = preset_of(each.recurrence.rrule)
        return views.day_picker(t, each, views.mask_of(shape[1] if shape else []))
    elif op is views.Op.TIME:
        return views.time_picker(t, each)
    return None


def _clock(minutes: int) -> time:
    if not 0 <= minutes < 24 * 60:
        raise ReviewError(Refused.UNKNOWN)
    return time(*divmod(minutes, 60))


def handlers() -> list[BaseHandler[Update, Context, None]]:
    ours = "".join(a.value for a in ACTIONS)
    return [
        CommandHandler("repeat", repeat_command),
        CallbackQueryHandler(on_button, pattern=f"^[{ours}]:"),
    ]
