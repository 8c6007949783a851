"""``/newtask``: a support person adds a task to the catalogue, one question at a time,
with a preview before saving. ``/cancel`` stops at any step."""

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
from bot.services.catalogue import templates as catalogue
from bot.telegram.callbacks import Action
from bot.telegram.reply import say
from bot.views import new_task as views
from bot.views.new_task import Choice
from handlers.common import Context, services_of
from handlers.conversation import cancel, conversation, draft_of, use_buttons
from handlers.doors import staff_door
from handlers.new_task_media import got_attachment, got_step_picture, step_media_refused
from handlers.new_task_steps import (
    ATTACH,
    GOAL,
    INSTRUCTIONS,
    MINUTES,
    PREVIEW,
    STEPS,
    STRAIN,
    SUPPORT,
    SUPPORT_PART,
    TITLE,
    chosen_button,
    task_draft,
    typed_text,
)
from storage.models import Person

Step = Callable[[Update, Context], Coroutine[Any, Any, int]]


@staff_door(ConversationHandler.END)
async def begin(update: Update, context: Context, staff: Person) -> int:
    draft_of(context).clear()
    task_draft(context)
    await say(update, views.ask(Texts(staff.language), "newtask.title"))
    return TITLE


async def got_title(update: Update, context: Context) -> int:
    typed = await typed_text(update, context, catalogue.TITLE_LENGTH)
    if typed is None:
        return TITLE
    _, t, title = typed
    services = services_of(context)
    async with services.sessions() as session:
        taken = await catalogue.title_taken(session, title)
    if taken:
        await say(update, views.ask(t, "newtask.title_taken", title=title))
        return TITLE
    task_draft(context).title = title
    await say(update, views.ask(t, "newtask.instructions"))
    return INSTRUCTIONS


async def got_instructions(update: Update, context: Context) -> int:
    typed = await typed_text(update, context, catalogue.TEXT_LENGTH)
    if typed is None:
        return INSTRUCTIONS
    _, t, text = typed
    task_draft(context).instructions = text
    await say(update, views.ask(t, "newtask.goal"))
    return GOAL


async def got_goal(update: Update, context: Context) -> int:
    typed = await typed_text(update, context, catalogue.TEXT_LENGTH)
    if typed is None:
        return GOAL
    _, t, text = typed
    task_draft(context).goal = text
    await say(update, views.ask_steps(t))
    return STEPS


async def got_step(update: Update, context: Context) -> int:
    typed = await typed_text(update, context, catalogue.STEP_LENGTH)
    if typed is None:
        return STEPS
    _, t, step = typed
    steps = task_draft(context).steps
    if len(steps) >= catalogue.MAX_STEPS:
        await say(update, views.ask(t, "newtask.too_many_steps", limit=catalogue.MAX_STEPS))
        return STEPS
    steps.append(step)
    await say(update, views.step_saved(t, len(steps)))
    return STEPS


async def steps_done(update: Update, context: Context) -> int:
    chosen = await chosen_button(update, context, {Choice.STEPS_DONE})
    if chosen is None:
        return STEPS
    t = chosen[1]
    if not task_draft(context).steps:
        await say(update, views.ask_steps(t))
        return STEPS
    await say(update, views.ask_strain(t))
    return STRAIN


async def got_strain(update: Update, context: Context) -> int:
    chosen = await chosen_button(update, context, range(Choice.STRAIN + 1, Choice.STRAIN + 4))
    if chosen is None:
        return STRAIN
    task_draft(context).strain = chosen[2] - Choice.STRAIN
    await say(update, views.ask_minutes(chosen[1]))
    return MINUTES


async def chose_minutes(update: Update, context: Context) -> int:
    offered = {Choice.MINUTES + m for m in views.MINUTE_CHOICES}
    chosen = await chosen_button(update, context, offered)
    if chosen is None:
        return MINUTES
    return await _minutes(update, context, chosen[1], chosen[2] - Choice.MINUTES)


async def typed_minutes(update: Update, context: Context) -> int:
    typed = await typed_text(update, context, catalogue.TITLE_LENGTH)
    if typed is None:
        return MINUTES
    _, t, text = typed
    if not text.isdigit() or not 1 <= int(text) <= 480:
        await say(update, views.ask_minutes(t))
        return MINUTES
    return await _minutes(update, context, t, int(text))


async def _minutes(update: Update, context: Context, t: Texts, minutes: int) -> int:
    task_draft(context).minutes = minutes
    await say(update, views.ask_support(t))
    return SUPPORT


async def chose_support(update: Update, context: Context) -> int:
    chosen = await chosen_button(update, context, {Choice.SUPPORT_YES, Choice.SUPPORT_NO})
    if chosen is None:
        return SUPPORT
    _, t, choice = chosen
    task_draft(context).with_support = choice == Choice.SUPPORT_YES
    if choice == Choice.SUPPORT_YES:
        await say(update, views.ask(t, "newtask.support_part"))
        return SUPPORT_PART
    await say(update, views.ask_attachments(t))
    return ATTACH


async def got_support_part(update: Update, context: Context) -> int:
    typed = await typed_text(update, context, catalogue.TEXT_LENGTH)
    if typed is None:
        return SUPPORT_PART
    _, t, text = typed
    task_draft(context).support_part = text
    await say(update, views.ask_attachments(t))
    return ATTACH


async def attachments_done(update: Update, context: Context) -> int:
    chosen = await chosen_button(update, context, {Choice.ATTACHMENTS_DONE})
    if chosen is None:
        return ATTACH
    await say(update, views.preview(chosen[1], task_draft(context)))
    return PREVIEW


async def decided(update: Update, context: Context) -> int:
    chosen = await chosen_button(update, context, {Choice.SAVE, Choice.DISCARD})
    if chosen is None:
        return PREVIEW
    staff, t, choice = chosen
    draft = task_draft(context)
    draft_of(context).clear()
    if choice == Choice.DISCARD:
        await say(update, views.ask(t, "conversation.cancelled"))
        return ConversationHandler.END
    services = services_of(context)
    async with services.sessions.begin() as session:
        await catalogue.save_template(services, session, draft, staff)
    await say(update, views.ask(t, "newtask.saved", title=draft.title))
    return ConversationHandler.END


def handlers() -> list[BaseHandler[Update, Context, object]]:
    text = filters.TEXT & ~filters.COMMAND
    material = filters.PHOTO | filters.Document.ALL | filters.LOCATION | text
    other_media = ~filters.COMMAND & ~filters.TEXT & ~filters.PHOTO

    def typed(step: Step) -> BaseHandler[Update, Context, object]:
        return MessageHandler(text, step)

    def pressed(step: Step) -> BaseHandler[Update, Context, object]:
        return CallbackQueryHandler(step, pattern=f"^{Action.NEW_TASK.value}:")

    buttons_only: BaseHandler[Update, Context, object] = MessageHandler(text, use_buttons)
    return [
        conversation(
            CommandHandler("newtask", begin),
            {
                TITLE: [typed(got_title)],
                INSTRUCTIONS: [typed(got_instructions)],
                GOAL: [typed(got_goal)],
                STEPS: [
                    typed(got_step),
                    pressed(steps_done),
                    MessageHandler(filters.PHOTO, got_step_picture),
                    MessageHandler(other_media, step_media_refused),
                ],
                STRAIN: [pressed(got_strain), buttons_only],
                MINUTES: [pressed(chose_minutes), typed(typed_minutes)],
                SUPPORT: [pressed(chose_support), buttons_only],
                SUPPORT_PART: [typed(got_support_part)],
                ATTACH: [pressed(attachments_done), MessageHandler(material, got_attachment)],
                PREVIEW: [pressed(decided), buttons_only],
            },
            [CommandHandler("cancel", cancel)],
        )
    ]
