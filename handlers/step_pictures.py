"""Sending a task's steps with their own pictures, right after the card (see
``bot.views.step_pictures``). A picture Telegram no longer knows is sent as its step's
text, so no step is lost."""

from __future__ import annotations

import logging

from telegram.error import BadRequest

from bot.views.step_pictures import step_messages
from handlers.common import Context
from storage.models import TaskTemplate

log = logging.getLogger(__name__)


async def send_steps(context: Context, chat_id: int, template: TaskTemplate) -> None:
    """The steps in order: a picture with the step as caption, or the steps as text."""
    for message in step_messages(template):
        if message.photo is not None:
            try:
                await context.bot.send_photo(chat_id, message.photo, caption=message.text)
                continue
            except BadRequest as exc:
                log.warning("a step picture of template %s not sent: %s", template.id, exc.message)
        await context.bot.send_message(chat_id, message.text)
