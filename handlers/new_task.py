"""``/newtask``: a support person adds a task to the catalogue, one question at a time,
with a preview before saving. ``/cancel`` stops at any step."""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Coroutine
from typing import Any

from telegram import Message, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.i18n import Texts
from bot.rules.template_draft import AttachmentDraft, TemplateDraft
from bot.services.catalogue import templates as catalogue
from bot.telegram.callbacks import Action, decode
from bot.telegram.rendered import Rendered
from bot.views import new_task as views
from bot.views.new_task import Choice
from handlers.common import Context, services_of, who_is_staff
from handlers.conversation import cancel, conversation, draft_of, use_buttons
from storage.models import AttachmentKind, Person

TITLE, INSTRUCTIONS, GOAL, STEPS, STRAIN, MINUTES, SUPPORT, SUPPORT_PART, ATTACH, PREVIEW = range(
    10
)
URL = re.compile(r"^https?://\S+$")
Step = Callable[[Update, Context], Coroutine[Any, Any, int]]


def _draft(context: Context) -> TemplateDraft:
    stored = draft_of(context).get("task")
    if not isinstance(stored, TemplateDraft):
        stored = TemplateDraft()
        draft_of(context)["task"] = stored
    return stored


async def _say(update: Update, rendered: Rendered) -> None:
    if update.effective_chat is not None:
        await update.effective_chat.send_message(rendered.text, reply_markup=rendered.markup())


async def _text(update: Update, context: Context, limit: int) -> tuple[Person, Texts, str] | None:
    """The staff member, their texts, and what they typed, if it is within ``limit``."""
    staff = await who_is_staff(update, context)
    message = update.effective_message
    if staff is None or message is None or message.text is None:
        return None
    t = Texts(staff.language)
    text = message.text.strip()
    if not text or len(text) > limit:
        await message.reply_text(t("newtask.too_long", limit=limit))
        return None
    return staff, t, text


async def _choice(
    update: Update, context: Context, allowed: Container[int]
) -> tuple[Person, Texts, int] | None:
    """The staff member, their texts and the button they pressed, if it belongs to this
    step; its keyboard is then removed so it cannot be pressed twice."""
    staff = await who_is_staff(update, context)
    query = update.callback_query
    if staff is None or query is None:
        return None
    callback = decode(query.data)
    if callback is None or callback.target is None or callback.target not in allowed:
        await query.answer(Texts(staff.language)("button.unknown"), show_alert=True)
        return None
    await query.answer()
    if query.message is not None:
        await query.edit_message_reply_markup(None)
    return staff, Texts(staff.language), callback.target


async def begin(update: Update, context: Context) -> int:
    staff = await who_is_staff(update, context)
    if staff is None:
        return ConversationHandler.END
    draft_of(context).clear()
    _draft(context)
    await _say(update, views.ask(Texts(staff.language), "newtask.title"))
    return TITLE


async def got_title(update: Update, context: Context) -> int:
    typed = await _text(update, context, catalogue.TITLE_LENGTH)
    if typed is None:
        return TITLE
    _, t, title = typed
    services = services_of(context)
    async with services.sessions() as session:
        taken = await catalogue.title_taken(session, title)
    if taken:
        await _say(update, views.ask(t, "newtask.title_taken", title=title))
        return TITLE
    _draft(context).title = title
    await _say(update, views.ask(t, "newtask.instructions"))
    return INSTRUCTIONS


async def got_instructions(update: Update, context: Context) -> int:
    typed = await _text(update, context, catalogue.TEXT_LENGTH)
    if typed is None:
        return INSTRUCTIONS
    _, t, text = typed
    _draft(context).instructions = text
    await _say(update, views.ask(t, "newtask.goal"))
    return GOAL


async def got_goal(update: Update, context: Context) -> int:
    typed = await _text(update, context, catalogue.TEXT_LENGTH)
    if typed is None:
        return GOAL
    _, t, text = typed
    _draft(context).goal = text
    await _say(update, views.ask_steps(t))
    return STEPS


async def got_step(update: Update, context: Context) -> int:
    typed = await _text(update, context, catalogue.STEP_LENGTH)
    if typed is None:
        return STEPS
    _, t, step = typed
    steps = _draft(context).steps
    if len(steps) >= catalogue.MAX_STEPS:
        await _say(update, views.ask(t, "newtask.too_many_steps", limit=catalogue.MAX_STEPS))
        return STEPS
    steps.append(step)
    await _say(update, views.step_saved(t, len(steps)))
    return STEPS


async def got_step_picture(update: Update, context: Context) -> int:
    """A photo after a step's text is that step's picture; a photo with a caption is a
    new step with its picture."""
    staff = await who_is_staff(update, context)
    message = update.effective_message
    if staff is None or message is None or not message.photo:
        return STEPS
    t = Texts(staff.language)
    draft = _draft(context)
    caption = (message.caption or "").strip()
    if len(caption) > catalogue.STEP_LENGTH:
        await message.reply_text(t("newtask.too_long", limit=catalogue.STEP_LENGTH))
        return STEPS
    if caption and len(draft.steps) >= catalogue.MAX_STEPS:
        await _say(update, views.ask(t, "newtask.too_many_steps", limit=catalogue.MAX_STEPS))
        return STEPS
    if caption:
        draft.steps.append(caption)
    elif not draft.steps:
        await _say(update, views.ask_steps(t, "newtask.picture_needs_step"))
        return STEPS
    draft.step_photos[len(draft.steps)] = message.photo[-1].file_id
    await _say(update, views.step_saved(t, len(draft.steps), "newtask.step_picture_saved"))
    return STEPS


async def step_media_refused(update: Update, context: Context) -> int:
    """Only text or a photo can be a step: anything else gets a short answer."""
    staff = await who_is_staff(update, context)
    if staff is not None:
        await _say(update, views.ask_steps(Texts(staff.language), "newtask.step_only_photo"))
    return STEPS


async def steps_done(update: Update, context: Context) -> int:
    chosen = await _choice(update, context, {Choice.STEPS_DONE})
    if chosen is None:
        return STEPS
    t = chosen[1]
    if not _draft(context).steps:
        await _say(update, views.ask_steps(t))
        return STEPS
    await _say(update, views.ask_strain(t))
    return STRAIN


async def got_strain(update: Update, context: Context) -> int:
    chosen = await _choice(update, context, range(Choice.STRAIN + 1, Choice.STRAIN + 4))
    if chosen is None:
        return STRAIN
    _draft(context).strain = chosen[2] - Choice.STRAIN
    await _say(update, views.ask_minutes(chosen[1]))
    return MINUTES


async def chose_minutes(update: Update, context: Context) -> int:
    chosen = await _choice(update, context, {Choice.MINUTES + m for m in views.MINUTE_CHOICES})
    if chosen is None:
        return MINUTES
    return await _minutes(update, context, chosen[1], chosen[2] - Choice.MINUTES)


async def typed_minutes(update: Update, context: Context) -> int:
    typed = await _text(update, context, catalogue.TITLE_LENGTH)
    if typed is None:
        return MINUTES
    _, t, text = typed
    if not text.isdigit() or not 1 <= int(text) <= 480:
        await _say(update, views.ask_minutes(t))
        return MINUTES
    return await _minutes(update, context, t, int(text))


async def _minutes(update: Update, context: Context, t: Texts, minutes: int) -> int:
    _draft(context).minutes = minutes
    await _say(update, views.ask_support(t))
    return SUPPORT


async def chose_support(update: Update, context: Context) -> int:
    chosen = await _choice(update, context, {Choice.SUPPORT_YES, Choice.SUPPORT_NO})
    if chosen is None:
        return SUPPORT
    _, t, choice = chosen
    _draft(context).with_support = choice == Choice.SUPPORT_YES
    if choice == Choice.SUPPORT_YES:
        await _say(update, views.ask(t, "newtask.support_part"))
        return SUPPORT_PART
    await _say(update, views.ask_attachments(t))
    return ATTACH


async def got_support_part(update: Update, context: Context) -> int:
    typed = await _text(update, context, catalogue.TEXT_LENGTH)
    if typed is None:
        return SUPPORT_PART
    _, t, text = typed
    _draft(context).support_part = text
    await _say(update, views.ask_attachments(t))
    return ATTACH


def _attachment(message: Message) -> AttachmentDraft | None:
    if message.photo:
        return AttachmentDraft(
            AttachmentKind.PHOTO, file_id=message.photo[-1].file_id, caption=message.caption
        )
    if message.document:
        caption = message.caption or message.document.file_name
        return AttachmentDraft(
            AttachmentKind.DOCUMENT, file_id=message.document.file_id, caption=caption
        )
    if message.location:
        return AttachmentDraft(
            AttachmentKind.LOCATION,
            latitude=message.location.latitude,
            longitude=message.location.longitude,
        )
    if message.text and URL.match(message.text.strip()):
        return AttachmentDraft(AttachmentKind.LINK, url=message.text.strip())
    return None


async def got_attachment(update: Update, context: Context) -> int:
    staff = await who_is_staff(update, context)
    message = update.effective_message
    if staff is None or message is None:
        return ATTACH
    t = Texts(staff.language)
    attachment = _attachment(message)
    draft = _draft(context)
    if attachment is None or len(draft.attachments) >= catalogue.MAX_ATTACHMENTS:
        await _say(update, views.ask(t, "newtask.bad_attachment"))
        return ATTACH
    draft.attachments.append(attachment)
    await _say(update, views.ask_attachments(t, len(draft.attachments)))
    return ATTACH


async def attachments_done(update: Update, context: Context) -> int:
    chosen = await _choice(update, context, {Choice.ATTACHMENTS_DONE})
    if chosen is None:
        return ATTACH
    await _say(update, views.preview(chosen[1], _draft(context)))
    return PREVIEW


async def decided(update: Update, context: Context) -> int:
    chosen = await _choice(update, context, {Choice.SAVE, Choice.DISCARD})
    if chosen is None:
        return PREVIEW
    staff, t, choice = chosen
    draft = _draft(context)
    draft_of(context).clear()
    if choice == Choice.DISCARD:
        await _say(update, views.ask(t, "conversation.cancelled"))
        return ConversationHandler.END
    services = services_of(context)
    async with services.sessions.begin() as session:
        await catalogue.save_template(services, session, draft, staff)
    await _say(update, views.ask(t, "newtask.saved", title=draft.title))
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
