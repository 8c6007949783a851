"""What every step of ``/newtask`` shares: the draft of the task, and what was typed or
pressed, checked, with the staff member's texts."""

from __future__ import annotations

from collections.abc import Container

from telegram import Update

from bot.i18n import Texts
from bot.rules.template_draft import TemplateDraft
from handlers.common import Context, who_is_staff
from handlers.conversation import draft_of, staff_press
from storage.models import Person

TITLE, INSTRUCTIONS, GOAL, STEPS, STRAIN, MINUTES, SUPPORT, SUPPORT_PART, ATTACH, PREVIEW = range(
    10
)


def task_draft(context: Context) -> TemplateDraft:
    stored = draft_of(context).get("task")
    if not isinstance(stored, TemplateDraft):
        stored = TemplateDraft()
        draft_of(context)["task"] = stored
    return stored


async def typed_text(
    update: Update, context: Context, limit: int
) -> tuple[Person, Texts, str] | None:
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


async def chosen_button(
    update: Update, context: Context, allowed: Container[int]
) -> tuple[Person, Texts, int] | None:
    """The staff member, their texts and the button they pressed, if it belongs to this
    step (:func:`staff_press`); its keyboard is then removed so it cannot be pressed
    twice."""
    chosen = await staff_press(update, context, among=allowed)
    query = update.callback_query
    if chosen is None or query is None:
        return None
    await query.answer()
    if query.message is not None:
        await query.edit_message_reply_markup(None)
    return chosen
