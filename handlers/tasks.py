"""The buttons of a co-worker's day: open a task, show and tick its steps, mark it done,
put it off, ask for help, and show today's list."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import CallbackQuery, Message, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import Services
from bot.i18n import Texts
from bot.services.day import help as help_service
from bot.services.day import morning, signals, tasks
from bot.telegram.callbacks import Action, Callback, NotTodayReason, TickStep, decode
from bot.telegram.reply import edit, send
from bot.views.help import help_receipt
from bot.views.morning import morning_list, no_tasks, old_list
from bot.views.safety import today_waiting
from bot.views.task_card import (
    ask_reason,
    confirm_done,
    done_card,
    media,
    put_off,
    task_card,
)
from handlers.common import Context
from handlers.doors import COWORKERS, Press, button_door, person_door
from handlers.step_pictures import send_steps
from storage.models import AttachmentKind, DayList, Person, Role, TaskTemplate

log = logging.getLogger(__name__)

OURS = (
    Action.OPEN_TASK,
    Action.DONE,
    Action.TODAY,
    Action.SHOW_STEPS,
    Action.TICK_STEP,
    Action.DONE_ANYWAY,
    Action.NOT_TODAY,
    Action.NOT_TODAY_REASON,
    Action.HELP,
)


async def _refresh_list(context: Context, person: Person, day_list: DayList | None) -> None:
    """Edit the morning list in place so it shows what is done, put off or waiting for help."""
    if day_list is None or day_list.list_message_id is None or person.telegram_user_id is None:
        return
    rendered = morning_list(Texts(person.language), person, day_list)
    try:
        await context.bot.edit_message_text(
            rendered.text,
            chat_id=person.telegram_user_id,
            message_id=day_list.list_message_id,
            reply_markup=rendered.markup(),
        )
    except BadRequest as exc:
        log.info("list refresh skipped: %s", exc.message)


async def _send_media(context: Context, chat_id: int, template: TaskTemplate) -> None:
    """The task's photos, documents and places, each a message of its own after the card."""
    for attachment in media(template):
        try:
            if attachment.kind is AttachmentKind.LOCATION:
                if attachment.latitude is not None and attachment.longitude is not None:
                    await context.bot.send_location(
                        chat_id, latitude=attachment.latitude, longitude=attachment.longitude
                    )
            elif attachment.telegram_file_id is None:
                continue
            elif attachment.kind is AttachmentKind.PHOTO:
                await context.bot.send_photo(
                    chat_id, attachment.telegram_file_id, caption=attachment.caption
                )
            else:
                await context.bot.send_document(
                    chat_id, attachment.telegram_file_id, caption=attachment.caption
                )
        except BadRequest as exc:  # a file Telegram no longer knows must not hide the rest
            log.warning("attachment %s not sent: %s", attachment.id, exc.message)


def _actions_on(query: CallbackQuery) -> set[Action]:
    """The actions of the buttons on the message that was pressed: what the person saw."""
    message = query.message
    if not isinstance(message, Message) or message.reply_markup is None:
        return set()
    callbacks = (
        decode(str(button.callback_data))
        for row in message.reply_markup.inline_keyboard
        for button in row
    )
    return {callback.action for callback in callbacks if callback is not None}


async def send_today(context: Context, services: Services, person: Person, chat_id: int) -> None:
    t = Texts(person.language)
    async with services.sessions.begin() as session:
        plan = await tasks.today_plan(services, session, person)
        if plan is not None and await tasks.waits_for_approval(session, person, plan):
            await send(context.bot, chat_id, today_waiting(t))
            return
        if plan is None or not plan.tasks:
            rendered = no_tasks(t, services.today())
        else:
            rendered = morning_list(t, person, DayList.of(plan))
    message = await send(context.bot, chat_id, rendered)
    if plan is not None and plan.tasks:
        async with services.sessions.begin() as session:
            await morning.remember_list(session, plan.id, message.message_id)


@person_door
async def today(update: Update, context: Context, person: Person) -> None:
    if update.effective_chat is not None and person.role is Role.COWORKER:
        await send_today(context, context.services, person, update.effective_chat.id)


@button_door(roles=COWORKERS, needs_target=False)
async def on_button(press: Press, context: Context) -> None:
    query, person, callback = press.query, press.person, press.callback
    services = context.services
    if callback.action is Action.TODAY:
        await query.answer()
        await send_today(context, services, person, query.from_user.id)
        return
    if callback.target is None:
        await press.refuse()
        return
    if callback.action is Action.HELP:
        await _help(query, context, services, person, callback.target)
        return
    seen = _actions_on(query)
    async with services.sessions.begin() as session:
        result = await _act(services, session, person, callback, seen)
    await _reply(query, context, services, person, callback.action, result, seen)


async def _act(
    services: Services,
    session: AsyncSession,
    person: Person,
    callback: Callback,
    seen: set[Action],
) -> tasks.TaskResult:
    """The service call for the press. ``seen`` are the actions of the pressed message's
    buttons: "Klar" asks first only when the steps to tick were in front of the person.
    Done and "not today" bring the day's list too, which :func:`_reply` edits in place."""
    target = callback.target or 0
    match callback.action:
        case Action.SHOW_STEPS:
            return await tasks.show_steps(services, session, person, target)
        case Action.TICK_STEP:
            step = TickStep.decode(target)
            return await tasks.tick_step(services, session, person, step.task_id, step.index)
        case Action.DONE:
            in_view = Action.TICK_STEP in seen
            return await tasks.mark_done(
                services, session, person, target, ask_if_steps_left=in_view, day_list=True
            )
        case Action.DONE_ANYWAY:
            return await tasks.mark_done(services, session, person, target, day_list=True)
        case Action.NOT_TODAY:
            return await tasks.not_today(services, session, person, target, day_list=True)
        case Action.NOT_TODAY_REASON:
            why = NotTodayReason.decode(target)
            result = await tasks.not_today(
                services, session, person, why.task_id, reason_index=why.index
            )
            await signals.after_not_today(services, session, person, result)
            return result
        case _:
            return await tasks.open_task(services, session, person, target)


async def _reply(
    query: CallbackQuery,
    context: Context,
    services: Services,
    person: Person,
    action: Action,
    result: tasks.TaskResult,
    seen: set[Action],
) -> None:
    t = Texts(person.language)
    task, chat_id = result.task, query.from_user.id
    if result.outcome is tasks.Outcome.OK and action in (Action.DONE, Action.DONE_ANYWAY):
        await query.answer(t("task.done_toast"))
        await edit(query, done_card(t, result.title), skip_failed=True)
        await _refresh_list(context, person, result.day_list)
        return
    if result.outcome is tasks.Outcome.NOT_AVAILABLE or task is None:
        await query.answer(t("task.not_available"), show_alert=True)
        return
    if result.outcome is tasks.Outcome.BAD_BUTTON:
        await query.answer(t("button.unknown"), show_alert=True)
        return
    if result.outcome is tasks.Outcome.OLD_LIST:
        await query.answer()
        await send(context.bot, chat_id, old_list(t))
        return
    if result.outcome is tasks.Outcome.ALREADY_DONE:
        await query.answer(t("task.already_done"))
        await edit(query, done_card(t, result.title), skip_failed=True)
        return
    if result.outcome is tasks.Outcome.ASK_FIRST:
        await query.answer()
        await edit(query, confirm_done(t, task), skip_failed=True)
        return
    match action:
        case Action.OPEN_TASK:
            await query.answer()
            card = await send(context.bot, chat_id, task_card(t, task))
            async with services.sessions.begin() as session:
                await tasks.remember_card(session, person, task.id, card.message_id)
            if task.first_time:
                await send_steps(context, chat_id, task.template)
                await _send_media(context, chat_id, task.template)
        case Action.SHOW_STEPS:
            await query.answer()
            await edit(query, task_card(t, task, steps_shown=True), skip_failed=True)
            # Sent with a first-time card already, and with the steps before the question.
            if not task.first_time and Action.DONE_ANYWAY not in seen:
                await send_steps(context, chat_id, task.template)
                await _send_media(context, chat_id, task.template)
        case Action.TICK_STEP:
            await query.answer()
            await edit(query, task_card(t, task, steps_shown=True), skip_failed=True)
        case Action.NOT_TODAY:
            await query.answer()
            await edit(query, ask_reason(t, task), skip_failed=True)
            await _refresh_list(context, person, result.day_list)
        case _:
            await query.answer(t("not_today.toast"))
            await edit(query, put_off(t, task), skip_failed=True)


async def _help(
    query: CallbackQuery, context: Context, services: Services, person: Person, task_id: int
) -> None:
    t = Texts(person.language)
    async with services.sessions.begin() as session:
        asked = await help_service.ask_for_help(services, session, person, task_id)
    if asked.outcome is tasks.Outcome.ALREADY_DONE:
        await query.answer(t("task.already_done"), show_alert=True)
        return
    await query.answer()
    receipt = help_receipt(
        t,
        told=asked.told,
        told_at=asked.told_at,
        told_on_duty=asked.told_on_duty,
        group=asked.group,
        zone=services.zone,
        today=services.today(),
    )
    await send(context.bot, query.from_user.id, receipt)
    if asked.task is not None and asked.task.plan.day == services.today():
        await _refresh_list(context, person, DayList.of(asked.task.plan))


def handlers() -> list[CallbackQueryHandler[Context, None] | CommandHandler[Context, None]]:
    ours = f"^[{''.join(action.value for action in OURS)}](:|$)"
    return [CommandHandler("today", today), CallbackQueryHandler(on_button, pattern=ours)]
