"""What the sender does with a row's payload: the one place an outbox message meets
Telegram's API (send, copy or edit), and the payload that copies a person's message."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, ReplyParameters


async def send_payload(
    bot: Bot, chat_id: int, payload: dict[str, Any], *, read_timeout: float | None = None
) -> int:
    """Send what :meth:`Rendered.payload` stored, or copy the message a ``copy`` payload
    names (any kind: text, voice, photo …), or, with an ``edit`` part, put the text and
    buttons in place of an earlier message's; the id of the message sent (or edited).
    ``read_timeout``: how long to wait for Telegram's answer (python-telegram-bot's
    default when None)."""
    reply_to = payload.get("reply_to")  # a message id in the same chat, if it is still there
    reply = (
        ReplyParameters(reply_to, allow_sending_without_reply=True)
        if isinstance(reply_to, int)
        else None
    )
    copy = payload.get("copy")
    if copy is not None:
        caption = copy.get("caption")  # HTML, in place of the original's (media only)
        copied = await bot.copy_message(
            chat_id,
            copy["from_chat_id"],
            copy["message_id"],
            caption=caption if isinstance(caption, str) else None,
            reply_parameters=reply,
            read_timeout=read_timeout,
        )
        return copied.message_id
    rows = payload.get("buttons") or []
    markup = (
        InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(label, callback_data=data) for label, data in row]
                for row in rows
            ]
        )
        if rows
        else None
    )
    edit = payload.get("edit")
    if edit is not None:
        await bot.edit_message_text(
            payload["text"],
            chat_id=chat_id,
            message_id=edit["message_id"],
            reply_markup=markup,
        )
        return int(edit["message_id"])
    # Stored text was Markup when it was queued; sent with the default parse mode (HTML).
    message = await bot.send_message(
        chat_id,
        payload["text"],
        reply_markup=markup,
        reply_parameters=reply,
        read_timeout=read_timeout,
    )
    return message.message_id


def copy_payload(
    from_chat_id: int, message_id: int, *, caption: Markup | None = None
) -> dict[str, Any]:
    """An outbox payload that copies a person's message (see :func:`send_payload`),
    with ``caption`` in place of its own when given (media that can carry one)."""
    copy: dict[str, Any] = {"from_chat_id": from_chat_id, "message_id": message_id}
    if caption is not None:
        copy["caption"] = str(caption)
    return {"copy": copy}
