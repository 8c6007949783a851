"""HTTP routes under ``/sandbox/`` that let a test act as a person (and steer the sandbox).

JSON in, JSON out. Errors are ``{"ok": false, "error": "..."}`` with a 4xx status.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from bot.sandbox.botapi import BotApi
from bot.sandbox.entities import parse_formatted, with_bot_commands
from bot.sandbox.errors import ApiError
from bot.sandbox.file_view import file_response
from bot.sandbox.keyboards import inline_rows
from bot.sandbox.limits import FaultConfig, LimitConfig
from bot.sandbox.models import Message, StoredFile
from bot.sandbox.state import SandboxState

MAX_USER_TEXT = 4096

Route = Callable[[web.Request], Awaitable[Any]]


class PeopleError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def message_view(message: Message) -> dict[str, Any]:
    """A message as ``GET /sandbox/chats/{id}/messages`` lists it."""
    rows = inline_rows(message.reply_markup)
    keyboard = (message.reply_markup or {}).get("keyboard")
    main = message.files[-1] if message.files else None

    def file_view(kind: str) -> dict[str, Any] | None:
        if message.kind != kind or main is None:
            return None
        return main.to_json()

    return {
        "message_id": message.message_id,
        "chat_id": message.chat_id,
        "from_bot": message.from_bot,
        "kind": message.kind,
        "text": message.text,
        "html": message.html,
        "entities": message.entities,
        "caption": message.caption,
        "caption_html": message.caption_html,
        "caption_entities": message.caption_entities,
        "reply_markup": [[_button_view(b) for b in row] for row in rows] if rows else None,
        "keyboard": [[b["text"] for b in row] for row in keyboard] if keyboard else None,
        "location": message.location,
        "photo": main.file_id if message.kind == "photo" and main is not None else None,
        "document": file_view("document"),
        "voice": file_view("voice"),
        "video": file_view("video"),
        "sticker": file_view("sticker"),
        "file_id": main.file_id if main is not None else None,
        "edited": message.edited,
        "deleted": message.deleted,
        "reply_to_message_id": message.reply_to_message_id,
        "date": message.date,
        "edit_date": message.edit_date,
    }


def _button_view(button: dict[str, Any]) -> dict[str, Any]:
    view: dict[str, Any] = {"text": button["text"]}
    for key in ("callback_data", "url"):
        if key in button:
            view[key] = button[key]
    return view


class PeopleApi:
    def __init__(self, state: SandboxState, botapi: BotApi) -> None:
        self.state = state
        self.botapi = botapi

    def routes(self) -> list[web.RouteDef]:
        return [
            web.post("/sandbox/users", self._guard(self.add_user)),
            web.post("/sandbox/groups", self._guard(self.add_group)),
            web.post("/sandbox/users/{user_id}/edit", self._guard(self.edit)),
            web.post("/sandbox/users/{user_id}/messages", self._guard(self.send)),
            web.post("/sandbox/users/{user_id}/press", self._guard(self.press)),
            web.post("/sandbox/users/{user_id}/block", self._guard(self.block)),
            web.post("/sandbox/users/{user_id}/unblock", self._guard(self.unblock)),
            web.get("/sandbox/callbacks/{callback_query_id}", self._guard(self.callback)),
            web.get("/sandbox/chats/{chat_id}/messages", self._guard(self.messages)),
            web.get("/sandbox/faults", self._guard(self.get_faults)),
            web.post("/sandbox/faults", self._guard(self.set_faults)),
            web.get("/sandbox/limits", self._guard(self.get_limits)),
            web.post("/sandbox/limits", self._guard(self.set_limits)),
            web.get("/sandbox/stats", self._guard(self.stats)),
            web.get("/sandbox/commands", self._guard(self.commands)),
            web.get("/sandbox/files/{file_id}", self.file),
        ]

    def _guard(self, handler: Route) -> Handler:
        async def guarded(request: web.Request) -> web.StreamResponse:
            try:
                result = await handler(request)
            except PeopleError as exc:
                return web.json_response({"ok": False, "error": exc.message}, status=exc.status)
            return web.json_response(result)

        return guarded

    # --- helpers ----------------------------------------------------------------------

    @staticmethod
    async def _body(request: web.Request) -> dict[str, Any]:
        if not request.can_read_body:
            return {}
        try:
            body = await request.json()
        except ValueError as exc:
            raise PeopleError(400, f"body is not JSON: {exc}") from None
        if not isinstance(body, dict):
            raise PeopleError(400, "body must be a JSON object")
        return body

    @staticmethod
    def _int(request: web.Request, name: str) -> int:
        try:
            return int(request.match_info[name])
        except ValueError:
            raise PeopleError(400, f"{name} must be an integer") from None

    def _user_id(self, request: web.Request) -> int:
        user_id = self._int(request, "user_id")
        if user_id not in self.state.users:
            raise PeopleError(404, f"unknown user {user_id}: POST /sandbox/users first")
        return user_id

    # --- people -----------------------------------------------------------------------

    async def add_user(self, request: web.Request) -> dict[str, Any]:
        body = await self._body(request)
        user_id, first_name = body.get("id"), body.get("first_name")
        if not isinstance(user_id, int) or user_id <= 0:
            raise PeopleError(400, "id must be a positive integer")
        if not isinstance(first_name, str) or not first_name:
            raise PeopleError(400, "first_name is required")
        user = self.state.add_user(
            user_id,
            first_name,
            last_name=body.get("last_name"),
            username=body.get("username"),
            language_code=body.get("language_code"),
            started=bool(body.get("started", False)),
        )
        return user.to_json()

    async def add_group(self, request: web.Request) -> dict[str, Any]:
        body = await self._body(request)
        chat_id, title = body.get("id"), body.get("title")
        if not isinstance(chat_id, int) or chat_id >= 0:
            raise PeopleError(400, "id must be a negative integer")
        if not isinstance(title, str) or not title:
            raise PeopleError(400, "title must be a non-empty string")
        self.state.add_group(chat_id, title)
        return {"id": chat_id, "type": "group", "title": title}

    def _chat_of(self, body: dict[str, Any], user_id: int) -> int:
        """The chat a person acts in: their private chat, or a group named by ``chat_id``."""
        chat_id = body.get("chat_id", user_id)
        if not isinstance(chat_id, int):
            raise PeopleError(400, "chat_id must be an integer")
        if chat_id != user_id:
            chat = self.state.chat(chat_id)
            if chat is None or chat.type == "private":
                raise PeopleError(404, f"no group {chat_id}: POST /sandbox/groups first")
        return chat_id

    async def edit(self, request: web.Request) -> dict[str, Any]:
        """The person edits the text (or caption) of a message they sent."""
        user_id = self._user_id(request)
        body = await self._body(request)
        chat_id = self._chat_of(body, user_id)
        message_id, text = body.get("message_id"), body.get("text")
        if not isinstance(message_id, int) or not isinstance(text, str) or not text.strip():
            raise PeopleError(400, "give message_id (integer) and text (non-empty)")
        message = self.state.live_message(chat_id, message_id)
        if message is None or message.from_bot or message.sender_id != user_id:
            raise PeopleError(400, f"no message {message_id} of the person in chat {chat_id}")
        update = self.state.edit_user_message(message, text)
        return {"update_id": None if update is None else update.update_id}

    async def send(self, request: web.Request) -> dict[str, Any]:
        user_id = self._user_id(request)
        body = await self._body(request)
        chat_id = self._chat_of(body, user_id)
        chat = self.state.chat(chat_id)
        reply_to = body.get("reply_to_message_id")
        if reply_to is not None:
            if not isinstance(reply_to, int):
                raise PeopleError(400, "reply_to_message_id must be an integer")
            if chat is None or self.state.live_message(chat.id, reply_to) is None:
                raise PeopleError(400, f"reply_to_message_id: no message {reply_to} in the chat")
        content = self._content(body)
        message, update = self.state.post_user_message(
            user_id, chat_id=chat_id, reply_to_message_id=reply_to, **content
        )
        return {
            "message_id": message.message_id,
            "update_id": None if update is None else update.update_id,
        }

    def _content(self, body: dict[str, Any]) -> dict[str, Any]:
        if "text" in body:
            text = body["text"]
            if not isinstance(text, str):
                raise PeopleError(400, "text must be a string")
            if not text.strip():
                raise PeopleError(400, "text is empty")
            try:
                formatted = with_bot_commands(parse_formatted(text, None, allow_empty=False))
            except ApiError as exc:
                raise PeopleError(400, exc.description) from None
            if len(formatted.text) > MAX_USER_TEXT:
                raise PeopleError(400, "text is longer than 4096 characters")
            return {"kind": "text", "text": formatted.text, "entities": formatted.entities}
        if "location" in body:
            where = _object(body, "location")
            lat, lon = where.get("latitude"), where.get("longitude")
            if not isinstance(lat, int | float) or not isinstance(lon, int | float):
                raise PeopleError(400, "location needs numeric latitude and longitude")
            return {"kind": "location", "location": {"latitude": lat, "longitude": lon}}
        for kind in ("photo", "voice", "video", "document", "sticker"):
            if kind in body:
                return self._media(kind, _object(body, kind))
        raise PeopleError(400, "give one of text, photo, voice, video, document, location, sticker")

    def _media(self, kind: str, spec: dict[str, Any]) -> dict[str, Any]:
        state = self.state
        size = spec.get("file_size")
        size = size if isinstance(size, int) else None
        files: list[StoredFile]
        if kind == "photo":
            data = _uploaded_bytes(spec)
            files = state.new_photo(size or (len(data) if data else None), data=data)
        elif kind == "voice":
            duration = int(spec.get("duration", 3))
            voice_size = size or 8_000 * max(duration, 1)
            voice = state.new_file(
                "voice", duration=duration, mime_type="audio/ogg", file_size=voice_size
            )
            files = [voice]
        elif kind == "video":
            files = [
                state.new_file(
                    "video",
                    duration=int(spec.get("duration", 5)),
                    width=int(spec.get("width", 1280)),
                    height=int(spec.get("height", 720)),
                    mime_type=str(spec.get("mime_type", "video/mp4")),
                    file_name=spec.get("file_name"),
                    file_size=size or 1_000_000,
                )
            ]
        elif kind == "document":
            name = spec.get("file_name")
            if not isinstance(name, str) or not name:
                raise PeopleError(400, "document needs file_name")
            mime = spec.get("mime_type") or "application/octet-stream"
            files = [
                state.new_file(
                    "document", file_name=name, mime_type=str(mime), file_size=size or 10_000
                )
            ]
        else:
            emoji = spec.get("emoji", "👍")
            files = [
                state.new_file(
                    "sticker", width=512, height=512, emoji=str(emoji), file_size=size or 20_000
                )
            ]
        content: dict[str, Any] = {"kind": kind, "files": files}
        caption = spec.get("caption")
        if isinstance(caption, str) and caption and kind != "sticker":
            content["caption"] = caption
        return content

    async def press(self, request: web.Request) -> dict[str, Any]:
        user_id = self._user_id(request)
        body = await self._body(request)
        message_id = body.get("message_id")
        if not isinstance(message_id, int):
            raise PeopleError(400, "message_id must be an integer")
        chat_id = self._chat_of(body, user_id)
        message = self.state.live_message(chat_id, message_id)
        if message is None:
            raise PeopleError(404, f"no message {message_id} in chat {chat_id}")
        if not message.from_bot:
            raise PeopleError(400, "only the bot's messages have inline buttons")
        data = body.get("data")
        label = body.get("text")
        if data is None and label is None:
            raise PeopleError(400, "give data or text (a button label)")
        if data is None:
            data = self._button_data(message, str(label))
        query, update = self.state.press(user_id, message, str(data))
        return {
            "callback_query_id": query.id,
            "update_id": None if update is None else update.update_id,
        }

    @staticmethod
    def _button_data(message: Message, label: str) -> str:
        labels: list[str] = []
        for row in inline_rows(message.reply_markup):
            for button in row:
                labels.append(button["text"])
                if button["text"] == label:
                    if "callback_data" not in button:
                        raise PeopleError(400, f"button {label!r} has no callback_data")
                    return str(button["callback_data"])
        raise PeopleError(
            400, f"message {message.message_id} has no button {label!r}; it has {labels!r}"
        )

    async def block(self, request: web.Request) -> dict[str, Any]:
        user_id = self._user_id(request)
        changed = self.state.block(user_id)
        return {"blocked": True, "changed": changed}

    async def unblock(self, request: web.Request) -> dict[str, Any]:
        user_id = self._user_id(request)
        changed = self.state.unblock(user_id)
        return {"blocked": False, "changed": changed}

    async def callback(self, request: web.Request) -> dict[str, Any]:
        query = self.state.callbacks.get(request.match_info["callback_query_id"])
        if query is None:
            raise PeopleError(404, "no such callback query")
        return {
            "callback_query_id": query.id,
            "answered": query.answered,
            "text": query.text,
            "show_alert": query.show_alert,
            "url": query.url,
            "data": query.data,
        }

    async def file(self, request: web.Request) -> web.Response:
        return file_response(self.state, request.match_info["file_id"])

    async def messages(self, request: web.Request) -> list[dict[str, Any]]:
        chat_id = self._int(request, "chat_id")
        return [message_view(m) for m in self.state.messages(chat_id)]

    # --- the sandbox itself -----------------------------------------------------------

    async def get_faults(self, request: web.Request) -> dict[str, Any]:
        return self.botapi.faults.config.to_json()

    async def set_faults(self, request: web.Request) -> dict[str, Any]:
        body = await self._body(request)
        try:
            config = FaultConfig.from_json(body)
        except (TypeError, ValueError) as exc:
            raise PeopleError(400, f"bad fault config: {exc}") from None
        self.botapi.faults.configure(config)
        return config.to_json()

    async def get_limits(self, request: web.Request) -> dict[str, Any]:
        return self.botapi.limiter.config.to_json()

    async def set_limits(self, request: web.Request) -> dict[str, Any]:
        body = await self._body(request)
        try:
            config = LimitConfig.from_json(body, base=self.botapi.limiter.config)
        except (TypeError, ValueError) as exc:
            raise PeopleError(400, f"bad limits: {exc}") from None
        self.botapi.limiter.configure(config)
        return config.to_json()

    async def stats(self, request: web.Request) -> dict[str, Any]:
        data = self.state.counters.to_json()
        data["pending_updates"] = len(self.state.pending_updates())
        data["limits"] = self.botapi.limiter.config.to_json()
        data["faults_config"] = self.botapi.faults.config.to_json()
        return data

    async def commands(self, request: web.Request) -> list[dict[str, Any]]:
        return [
            {"scope": json.loads(scope), "language_code": language, "commands": list(commands)}
            for (scope, language), commands in sorted(self.state.commands.items())
        ]


def _uploaded_bytes(spec: dict[str, Any]) -> bytes | None:
    """A person's own picture, sent as base64 in ``data`` (as a page does)."""
    encoded = spec.get("data")
    if encoded is None:
        return None
    if not isinstance(encoded, str):
        raise PeopleError(400, "data must be a base64 string")
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise PeopleError(400, "data is not valid base64") from None
    if not data:
        raise PeopleError(400, "data is empty")
    return data


def _object(body: dict[str, Any], name: str) -> dict[str, Any]:
    value = body[name]
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise PeopleError(400, f"{name} must be an object")
    return value
