"""Bot API methods that put messages into chats or change them.

Checks come in the order the real Bot API makes them: the request's own parameters
(required values, parse_mode, reply_markup JSON), then the chat (``chat not found``,
``bot was blocked by the user``), then what Telegram's servers check (length limits,
``BUTTON_DATA_INVALID``, the replied message), then the rate limit, and only then is
anything changed.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlparse

from bot.sandbox.entities import FormattedText, parse_formatted, with_bot_commands
from bot.sandbox.errors import (
    BLOCKED,
    CHAT_NOT_FOUND,
    MESSAGE_NOT_MODIFIED,
    QUERY_INVALID,
    bad_request,
    forbidden,
)
from bot.sandbox.keyboards import Markup, check_buttons, message_markup, parse_reply_markup
from bot.sandbox.models import Chat, Message, StoredFile
from bot.sandbox.params import Params
from bot.sandbox.state import SandboxState

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_ANSWER = 200
CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice",
        "upload_voice", "upload_document", "choose_sticker", "find_location",
        "record_video_note", "upload_video_note", "cancel",
    }
)  # fmt: skip
_DEFAULT_MIME = {
    "voice": "audio/ogg",
    "video": "video/mp4",
    "document": "application/octet-stream",
    "audio": "audio/mpeg",
}
_NUMBER = re.compile(r"\s*-?\d+\s*")

Acquire = Callable[[int], None]


class MessageMethods:
    """sendMessage, send<Media>, sendLocation, copyMessage, edit*, deleteMessage, …"""

    def __init__(self, state: SandboxState, acquire: Acquire) -> None:
        self.state = state
        self._acquire = acquire

    # --- shared checks ------------------------------------------------------------------

    def _chat_id(self, params: Params, name: str = "chat_id") -> int:
        raw = params.get_str(name)
        if raw is None or raw == "":
            raise bad_request(f"{name} is empty")
        if _NUMBER.fullmatch(raw) is None:
            raise bad_request(CHAT_NOT_FOUND)  # @usernames name channels, not private chats
        return int(raw)

    def _writable(self, chat_id: int) -> Chat:
        chat = self.state.chat(chat_id)
        if chat is None:
            raise bad_request(CHAT_NOT_FOUND)
        if chat.blocked:
            raise forbidden(BLOCKED)
        return chat

    def _markup(self, params: Params) -> Markup | None:
        return parse_reply_markup(params.get_json("reply_markup", "reply keyboard markup"))

    def _reply_to(self, params: Params, chat: Chat) -> int | None:
        given = params.get_json("reply_parameters", "reply parameters")
        allow = params.get_bool("allow_sending_without_reply")
        if isinstance(given, dict):
            message_id = given.get("message_id")
            allow = bool(given.get("allow_sending_without_reply", allow))
        elif given is not None:
            raise bad_request("object expected as reply parameters")
        else:
            message_id = params.get_int("reply_to_message_id")
        if not isinstance(message_id, int) or message_id <= 0:
            return None
        if self.state.live_message(chat.id, message_id) is None:
            if allow:
                return None
            raise bad_request("message to be replied not found")
        return message_id

    def _text(self, params: Params) -> tuple[FormattedText, str | None]:
        text = params.get_str("text") or ""
        if not text:
            raise bad_request("message text is empty")
        mode = params.get_str("parse_mode")
        formatted = parse_formatted(text, mode, params.get_json("entities"), allow_empty=False)
        html = text if (mode or "").strip().lower() == "html" else None
        return with_bot_commands(formatted), html

    def _caption(self, params: Params) -> tuple[FormattedText, str | None]:
        caption = params.get_str("caption") or ""
        mode = params.get_str("parse_mode")
        given = params.get_json("caption_entities")
        formatted = parse_formatted(caption, mode, given, allow_empty=True)
        html = caption if caption and (mode or "").strip().lower() == "html" else None
        return formatted, html

    def _editable(self, params: Params) -> Message:
        if params.has("inline_message_id") and not params.has("chat_id"):
            raise bad_request("message to edit not found")
        chat_id = self._chat_id(params)
        message_id = params.get_int("message_id", 0) or 0
        chat = self._writable(chat_id)
        message = self.state.live_message(chat.id, message_id)
        if message is None:
            raise bad_request("message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        return message

    def _finish_edit(self, message: Message) -> dict[str, Any]:
        message.edit_date = self.state.now()
        message.edited += 1
        return self.state.message_json(message)

    # --- sending ----------------------------------------------------------------------

    async def send_message(self, params: Params) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        formatted, html = self._text(params)
        markup = self._markup(params)
        chat = self._writable(chat_id)
        if len(formatted.text) > MAX_TEXT:
            raise bad_request("message is too long")
        check_buttons(markup)
        reply_to = self._reply_to(params, chat)
        self._acquire(chat.id)
        message = self.state.add_message(
            chat.id,
            from_bot=True,
            kind="text",
            text=formatted.text,
            entities=formatted.entities,
            html=html,
            reply_markup=markup,
            reply_to_message_id=reply_to,
            protect_content=params.get_bool("protect_content"),
        )
        return self.state.message_json(message)

    async def send_photo(self, params: Params) -> dict[str, Any]:
        return self._send_media(params, "photo")

    async def send_document(self, params: Params) -> dict[str, Any]:
        return self._send_media(params, "document")

    async def send_voice(self, params: Params) -> dict[str, Any]:
        return self._send_media(params, "voice")

    async def send_video(self, params: Params) -> dict[str, Any]:
        return self._send_media(params, "video")

    async def send_audio(self, params: Params) -> dict[str, Any]:
        return self._send_media(params, "audio")

    async def send_sticker(self, params: Params) -> dict[str, Any]:
        return self._send_media(params, "sticker")

    def _send_media(self, params: Params, kind: str) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        files = self._input_files(params, kind)
        caption, caption_html = self._caption(params)
        markup = self._markup(params)
        chat = self._writable(chat_id)
        if len(caption.text) > MAX_CAPTION:
            raise bad_request("message caption is too long")
        check_buttons(markup)
        reply_to = self._reply_to(params, chat)
        self._acquire(chat.id)
        stored = files()
        message = self.state.add_message(
            chat.id,
            from_bot=True,
            kind=kind,
            files=stored,
            caption=caption.text or None,
            caption_entities=caption.entities,
            caption_html=caption_html,
            reply_markup=markup,
            reply_to_message_id=reply_to,
            protect_content=params.get_bool("protect_content"),
        )
        return self.state.message_json(message)

    def _input_files(self, params: Params, kind: str) -> Callable[[], list[StoredFile]]:
        """Check the file parameter now; return how to store it once the send goes ahead."""
        value = params.get_str(kind) or ""
        upload = params.get_file(kind)
        if value.startswith("attach://"):
            upload = params.get_file(value[len("attach://") :])
            value = ""
        details: dict[str, Any] = {}
        if kind in ("voice", "video", "audio"):
            details["duration"] = params.get_int("duration", 0) or 0
        if kind == "video":
            details["width"] = params.get_int("width", 640) or 640
            details["height"] = params.get_int("height", 360) or 360
        if kind == "sticker":
            details.update(width=512, height=512, emoji=params.get_str("emoji"))
        if upload is not None:
            name = upload.filename or ("file" if kind == "document" else None)
            mime = upload.content_type
            if not mime or mime == "application/octet-stream":
                guessed = mimetypes.guess_type(name or "")[0]
                mime = guessed or _DEFAULT_MIME.get(kind)
            return self._new_files(kind, len(upload.data), mime, name, details, upload.data)
        if value.startswith(("http://", "https://")):
            name = PurePosixPath(urlparse(value).path).name or None
            mime = mimetypes.guess_type(name or "")[0] or _DEFAULT_MIME.get(kind)
            return self._new_files(kind, None, mime, name, details)
        if value:
            known = self.state.stored_files(value)
            if known is None:
                raise bad_request("wrong file identifier/HTTP URL specified")
            if known[0].kind != kind:
                raise bad_request("type of file mismatch")
            return lambda: known
        raise bad_request(f"there is no {kind} in the request")

    def _new_files(
        self,
        kind: str,
        size: int | None,
        mime: str | None,
        name: str | None,
        details: dict[str, Any],
        data: bytes | None = None,
    ) -> Callable[[], list[StoredFile]]:
        if kind == "photo":
            return lambda: self.state.new_photo(size, data)
        if kind not in ("document", "video", "audio"):
            name = None
        if kind == "sticker":
            mime = None

        def store() -> list[StoredFile]:
            made = self.state.new_file(
                kind, data=data, file_size=size, mime_type=mime, file_name=name, **details
            )
            return [made]

        return store

    async def send_location(self, params: Params) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        for name in ("latitude", "longitude"):
            if not params.has(name):
                raise bad_request(f"{name} is empty")
        location = {
            "latitude": params.get_float("latitude") or 0.0,
            "longitude": params.get_float("longitude") or 0.0,
        }
        accuracy = params.get_float("horizontal_accuracy")
        if accuracy:
            location["horizontal_accuracy"] = accuracy
        markup = self._markup(params)
        chat = self._writable(chat_id)
        check_buttons(markup)
        reply_to = self._reply_to(params, chat)
        self._acquire(chat.id)
        message = self.state.add_message(
            chat.id,
            from_bot=True,
            kind="location",
            location=location,
            reply_markup=markup,
            reply_to_message_id=reply_to,
        )
        return self.state.message_json(message)

    async def copy_message(self, params: Params) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        from_chat_id = self._chat_id(params, "from_chat_id")
        message_id = params.get_int("message_id", 0) or 0
        replace_caption = params.raw("caption") is not None
        caption, caption_html = self._caption(params)
        markup = self._markup(params)
        if self.state.chat(from_chat_id) is None:
            raise bad_request(CHAT_NOT_FOUND)
        source = self.state.live_message(from_chat_id, message_id)
        if source is None:
            raise bad_request("message to copy not found")
        chat = self._writable(chat_id)
        if replace_caption and len(caption.text) > MAX_CAPTION:
            raise bad_request("message caption is too long")
        check_buttons(markup)
        reply_to = self._reply_to(params, chat)
        self._acquire(chat.id)
        media = source.kind not in ("text", "location")
        copy = self.state.add_message(
            chat.id,
            from_bot=True,
            kind=source.kind,
            text=source.text,
            entities=[dict(e) for e in source.entities],
            html=source.html,
            caption=(caption.text or None) if replace_caption and media else source.caption,
            caption_entities=(
                caption.entities if replace_caption and media else list(source.caption_entities)
            ),
            caption_html=caption_html if replace_caption and media else source.caption_html,
            files=list(source.files),
            location=None if source.location is None else dict(source.location),
            reply_markup=markup,
            reply_to_message_id=reply_to,
            protect_content=params.get_bool("protect_content"),
        )
        return {"message_id": copy.message_id}

    # --- editing ----------------------------------------------------------------------

    async def edit_message_text(self, params: Params) -> dict[str, Any]:
        formatted, html = self._text(params)
        markup = self._markup(params)
        message = self._editable(params)
        if message.kind != "text":
            raise bad_request("there is no text in the message to edit")
        if len(formatted.text) > MAX_TEXT:
            raise bad_request("message is too long")
        check_buttons(markup)
        unchanged = (
            formatted.text == message.text
            and formatted.entities == message.entities
            and message_markup(markup) == message_markup(message.reply_markup)
        )
        if unchanged:
            raise bad_request(MESSAGE_NOT_MODIFIED)
        self._acquire(message.chat_id)
        message.text, message.entities, message.html = formatted.text, formatted.entities, html
        message.reply_markup = markup
        return self._finish_edit(message)

    async def edit_message_caption(self, params: Params) -> dict[str, Any]:
        caption, caption_html = self._caption(params)
        markup = self._markup(params)
        message = self._editable(params)
        if message.kind in ("text", "location"):
            raise bad_request("there is no caption in the message to edit")
        if len(caption.text) > MAX_CAPTION:
            raise bad_request("message caption is too long")
        check_buttons(markup)
        new_caption = caption.text or None
        unchanged = (
            new_caption == message.caption
            and caption.entities == message.caption_entities
            and message_markup(markup) == message_markup(message.reply_markup)
        )
        if unchanged:
            raise bad_request(MESSAGE_NOT_MODIFIED)
        self._acquire(message.chat_id)
        message.caption, message.caption_entities = new_caption, caption.entities
        message.caption_html = caption_html
        message.reply_markup = markup
        return self._finish_edit(message)

    async def edit_message_reply_markup(self, params: Params) -> dict[str, Any]:
        markup = self._markup(params)
        message = self._editable(params)
        check_buttons(markup)
        if message_markup(markup) == message_markup(message.reply_markup):
            raise bad_request(MESSAGE_NOT_MODIFIED)
        self._acquire(message.chat_id)
        message.reply_markup = markup
        return self._finish_edit(message)

    async def delete_message(self, params: Params) -> bool:
        chat_id = self._chat_id(params)
        message_id = params.get_int("message_id", 0) or 0
        if self.state.chat(chat_id) is None:
            raise bad_request(CHAT_NOT_FOUND)
        message = self.state.live_message(chat_id, message_id)
        if message is None:
            raise bad_request("message to delete not found")
        message.deleted = True
        return True

    # --- other ------------------------------------------------------------------------

    async def answer_callback_query(self, params: Params) -> bool:
        query_id = params.get_str("callback_query_id") or ""
        query = self.state.callbacks.get(query_id)
        if query is None or query.answered:
            raise bad_request(QUERY_INVALID)
        text = params.get_str("text")
        if text is not None and len(text) > MAX_CALLBACK_ANSWER:
            raise bad_request("MESSAGE_TOO_LONG")
        query.answered = True
        query.text = text or None
        query.show_alert = params.get_bool("show_alert")
        query.url = params.get_str("url")
        return True

    async def send_chat_action(self, params: Params) -> bool:
        chat_id = self._chat_id(params)
        action = (params.get_str("action") or "").strip().lower()
        if action not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        self._writable(chat_id)
        return True
