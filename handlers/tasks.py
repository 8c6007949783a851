"""The buttons of a co-worker's day: open a task, mark it done, show today's list."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.callbacks import Action, decode
from bot.i18n import Texts
from bot.services import tasks
from bot.services.context import Services
from bot.views.day import morning_list, no_tasks, old_list, task_card
from bot.views.rendered import Rendered
from handlers.common import Context, answer_stranger, button_presser, services_of, who_is_asking
from storage.models import DayPlan, Person, Role

log = logging.getLogger(__name__)


async def _edit(query: CallbackQuery, rendered: Rendered) -> None:
    try:
        await query.edit_message_text(
            rendered.text, parse_mode=ParseMode.HTML, reply_markup=rendered.markup()
        )
    except BadRequest as exc:  # e.g. "message is not modified" after a double press
        log.info("edit skipped: %s", exc.message)


async def _refresh_list(context: Context, person: Person, plan: DayPlan) -> None:
    """Edit the morning list in place so it shows what is done."""
    if plan.list_message_id is None or person.telegram_user_id is None:
        return
    rendered = morning_list(Texts(person.language), person, plan)
    try:
        await context.bot.edit_message_text(
            rendered.text,
            chat_id=person.telegram_user_id,
            message_id=plan.list_message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=rendered.markup(),
        )
    except BadRequest as exc:
        log.info("list refresh skipped: %s", exc.message)


async def send_today(context: Context, services: Services, person: Person, chat_id: int) -> None:
    t = Texts(person.language)
    async with services.sessions.begin() as session:
        plan = await tasks.today_plan(services, session, person)
        if plan is None or not plan.tasks:
            rendered = no_tasks(t, services.today())
        else:
            rendered = morning_list(t, person, plan)
    message = await context.bot.send_message(
        chat_id, rendered.text, parse_mode=ParseMode.HTML, reply_markup=rendered.markup()
    )
    if plan is not None and plan.tasks:
        async with services.sessions.begin() as session:
            stored = await session.get(DayPlan, plan.id)
            if stored is not None:
                stored.list_message_id = message.message_id


async def today(update: Update, context: Context) -> None:
    person = await who_is_asking(update, context)
    if person is None:
        await answer_stranger(update, context)
        return
    if update.effective_chat is not None and person.role is Role.COWORKER:
        await send_today(context, services_of(context), person, update.effective_chat.id)


async def on_button(update: Update, context: Context) -> None:
    pressed = await button_presser(update, context)
    if pressed is None:
        return
    query, person = pressed
    t = Texts(person.language)
    callback = decode(query.data)
    if callback is None or person.role is not Role.COWORKER:
        await query.answer(t("button.unknown"), show_alert=True)
        return
    services = services_of(context)
    if callback.action is Action.TODAY:
        await query.answer()
        if query.message is not None:
            await send_today(context, services, person, query.message.chat.id)
        return
    task_id = callback.target
    if task_id is None:
        await query.answer(t("button.unknown"), show_alert=True)
        return
    async with services.sessions.begin() as session:
        if callback.action is Action.OPEN_TASK:
            result = await tasks.open_task(services, session, person, task_id)
        else:
            result = await tasks.mark_done(services, session, person, task_id)
    await _reply(query, context, t, person, callback.action, result)


async def _reply(
    query: CallbackQuery,
    context: Context,
    t: Texts,
    person: Person,
    action: Action,
    result: tasks.TaskResult,
) -> None:
    if result.outcome is tasks.Outcome.NOT_AVAILABLE or result.task is None:
        await query.answer(t("task.not_available"), show_alert=True)
        return
    if result.outcome is tasks.Outcome.OLD_LIST:
        await query.answer()
        rendered = old_list(t)
        await context.bot.send_message(
            query.from_user.id, rendered.text, reply_markup=rendered.markup()
        )
        return
    if result.outcome is tasks.Outcome.ALREADY_DONE:
        await query.answer(t("task.already_done"))
        await _edit(query, task_card(t, result.task))
        return
    if action is Action.OPEN_TASK:
        await query.answer()
        card = task_card(t, result.task)
        await context.bot.send_message(
            query.from_user.id,
            card.text,
            parse_mode=ParseMode.HTML,
            reply_markup=card.markup(),
        )
        return
    await query.answer(t("task.done_toast"))
    await _edit(query, task_card(t, result.task))
    if result.plan is not None:
        await _refresh_list(context, person, result.plan)


def handlers() -> list[CallbackQueryHandler[Context, None] | CommandHandler[Context, None]]:
    ours = f"^[{Action.OPEN_TASK.value}{Action.DONE.value}{Action.TODAY.value}](:|$)"
    return [CommandHandler("today", today), CallbackQueryHandler(on_button, pattern=ours)]
