"""The steps of ``/newtask`` that take more than text: a picture for a step, and the
task's attachments (photos, documents, places and links)."""

from __future__ import annotations

import re

from telegram import Message, Update

from bot.i18n import Texts
from bot.rules.template_draft import AttachmentDraft
from bot.services.catalogue import templates as catalogue
from bot.telegram.reply import say
from bot.views import new_task as views
from handlers.common import Context, who_is_staff
from handlers.new_task_steps import ATTACH, STEPS, task_draft
from storage.models import AttachmentKind

URL = re.compile(r"^https?://\S+$")


async def got_step_picture(update: Update, context: Context) -> int:
    """A photo after a step's text is that step's picture; a photo with a caption is a
    new step with its picture."""
    staff = await who_is_staff(update, context)
    message = update.effective_message
    if staff is None or message is None or not message.photo:
        return STEPS
    t = Texts(staff.language)
    draft = task_draft(context)
    caption = (message.caption or "").strip()
    if len(caption) > catalogue.STEP_LENGTH:
        await message.reply_text(t("newtask.too_long", limit=catalogue.STEP_LENGTH))
        return STEPS
    if caption and len(draft.steps) >= catalogue.MAX_STEPS:
        await say(update, views.ask(t, "newtask.too_many_steps", limit=catalogue.MAX_STEPS))
        return STEPS
    if caption:
        draft.steps.append(caption)
    elif not draft.steps:
        await say(update, views.ask_steps(t, "newtask.picture_needs_step"))
        return STEPS
    draft.step_photos[len(draft.steps)] = message.photo[-1].file_id
    await say(update, views.step_saved(t, len(draft.steps), "newtask.step_picture_saved"))
    return STEPS


async def step_media_refused(update: Update, context: Context) -> int:
    """Only text or a photo can be a step: anything else gets a short answer."""
    staff = await who_is_staff(update, context)
    if staff is not None:
        await say(update, views.ask_steps(Texts(staff.language), "newtask.step_only_photo"))
    return STEPS


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
    draft = task_draft(context)
    if attachment is None or len(draft.attachments) >= catalogue.MAX_ATTACHMENTS:
        await say(update, views.ask(t, "newtask.bad_attachment"))
        return ATTACH
    draft.attachments.append(attachment)
    await say(update, views.ask_attachments(t, len(draft.attachments)))
    return ATTACH
