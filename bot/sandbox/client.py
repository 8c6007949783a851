"""``SandboxClient``: a test acting as people, over the sandbox's ``/sandbox/...`` routes.

::

    async with SandboxClient(url) as people:
        await people.add_user(1001, "Alva", language_code="sv")
        await people.send_text(1001, "/start")
        reply = await people.wait_for(1001, lambda m: m.from_bot and "Hej" in (m.text or ""))
        await people.press(1001, reply.message_id, text=reply.buttons()[0])
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, TypedDict

import aiohttp


class SandboxClientError(Exception):
    """The sandbox refused a people-side request (4xx)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status
        self.message = message


@dataclass(frozen=True)
class SandboxButton:
    text: str
    callback_data: str | None = None
    url: str | None = None


class CallbackAnswer(TypedDict):
    """How the bot answered a button press (``answered`` False: not yet)."""

    callback_query_id: str
    answered: bool
    text: str | None
    show_alert: bool
    url: str | None
    data: str | None


@dataclass(frozen=True)
class SandboxMessage:
    """One message of a chat as the person sees it (the bot's or their own)."""

    message_id: int
    chat_id: int
    from_bot: bool
    kind: str  # text | photo | voice | video | document | location | sticker
    text: str = ""  # plain text as shown; "" for media (see caption)
    html: str | None = None
    caption: str | None = None
    caption_html: str | None = None
    reply_markup: tuple[tuple[SandboxButton, ...], ...] | None = None
    keyboard: tuple[tuple[str, ...], ...] | None = None
    location: dict[str, float] | None = field(default=None, hash=False)
    document: dict[str, Any] | None = field(default=None, hash=False)
    photo: str | None = None
    voice: dict[str, Any] | None = field(default=None, hash=False)
    video: dict[str, Any] | None = field(default=None, hash=False)
    sticker: dict[str, Any] | None = field(default=None, hash=False)
    file_id: str | None = None
    entities: tuple[dict[str, Any], ...] = field(default=(), hash=False)
    edited: int = 0
    deleted: bool = False
    reply_to_message_id: int | None = None
    date: int = 0
    edit_date: int | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SandboxMessage:
        rows = data.get("reply_markup")
        markup = (
            tuple(
                tuple(SandboxButton(b["text"], b.get("callback_data"), b.get("url")) for b in row)
                for row in rows
            )
            if rows
            else None
        )
        keyboard = data.get("keyboard")
        return cls(
            message_id=data["message_id"],
            chat_id=data["chat_id"],
            from_bot=data["from_bot"],
            kind=data["kind"],
            text=data.get("text") or "",
            html=data.get("html"),
            caption=data.get("caption"),
            caption_html=data.get("caption_html"),
            reply_markup=markup,
            keyboard=tuple(tuple(row) for row in keyboard) if keyboard else None,
            location=data.get("location"),
            document=data.get("document"),
            photo=data.get("photo"),
            voice=data.get("voice"),
            video=data.get("video"),
            sticker=data.get("sticker"),
            file_id=data.get("file_id"),
            entities=tuple(data.get("entities") or ()),
            edited=data.get("edited", 0),
            deleted=data.get("deleted", False),
            reply_to_message_id=data.get("reply_to_message_id"),
            date=data.get("date", 0),
            edit_date=data.get("edit_date"),
        )

    @property
    def content(self) -> str:
        """The text, or the caption of media; empty when there is neither."""
        return self.text or self.caption or ""

    def buttons(self) -> list[str]:
        """Labels of the inline buttons, row by row."""
        return [b.text for row in self.reply_markup or () for b in row]

    def button(self, label: str) -> SandboxButton:
        for row in self.reply_markup or ():
            for candidate in row:
                if candidate.text == label:
                    return candidate
        raise KeyError(f"no button {label!r} on message {self.message_id}: {self.buttons()!r}")

    def button_data(self, label: str) -> str:
        data = self.button(label).callback_data
        if data is None:
            raise KeyError(f"button {label!r} on message {self.message_id} has no callback_data")
        return data

    def describe(self) -> str:
        who = "bot" if self.from_bot else "user"
        flags = "".join(
            [f" edited×{self.edited}" if self.edited else "", " deleted" if self.deleted else ""]
        )
        body = self.content if self.kind == "text" else f"[{self.kind}] {self.content}".strip()
        buttons = f" buttons={self.buttons()}" if self.reply_markup else ""
        return f"#{self.message_id} {who}{flags}: {body!r}{buttons}"


class SandboxClient:
    """Async client of the sandbox's people routes (an async context manager)."""

    def __init__(
        self,
        base_url: str,
        *,
        session: aiohttp.ClientSession | None = None,
        poll_interval: float = 0.02,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.poll_interval = poll_interval
        self._session = session
        self._own_session = session is None

    async def __aenter__(self) -> SandboxClient:
        self._ensure_session()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        if self._session is not None and self._own_session:
            await self._session.close()
        self._session = None

    def _ensure_session(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = aiohttp.ClientSession()
            self._own_session = True
        return self._session

    async def _request(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        session = self._ensure_session()
        async with session.request(method, f"{self.base_url}{path}", json=body) as response:
            try:
                data = await response.json(content_type=None)
            except ValueError:
                raise SandboxClientError(response.status, await response.text()) from None
            if response.status >= 400:
                message = data.get("error") if isinstance(data, dict) else str(data)
                raise SandboxClientError(response.status, str(message))
            return data

    # --- people -----------------------------------------------------------------------

    async def add_user(
        self,
        user_id: int,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
        started: bool = False,
    ) -> dict[str, Any]:
        """Add (or update) a person. ``started``: their chat is known to the bot already."""
        body: dict[str, Any] = {"id": user_id, "first_name": first_name, "started": started}
        for key, value in (
            ("last_name", last_name),
            ("username", username),
            ("language_code", language_code),
        ):
            if value is not None:
                body[key] = value
        result: dict[str, Any] = await self._request("POST", "/sandbox/users", body)
        return result

    async def add_group(self, chat_id: int, title: str) -> None:
        """A group chat (negative id) with the bot in it; people write there with ``in_chat``."""
        await self._request("POST", "/sandbox/groups", {"id": chat_id, "title": title})

    async def edit_text(
        self, user_id: int, message_id: int, text: str, *, in_chat: int | None = None
    ) -> None:
        """The person edits the text (or caption) of their own message."""
        body: dict[str, Any] = {"message_id": message_id, "text": text}
        if in_chat is not None:
            body["chat_id"] = in_chat
        await self._request("POST", f"/sandbox/users/{user_id}/edit", body)

    async def _send(
        self,
        user_id: int,
        body: dict[str, Any],
        reply_to: int | None,
        in_chat: int | None = None,
    ) -> int:
        if reply_to is not None:
            body["reply_to_message_id"] = reply_to
        if in_chat is not None:
            body["chat_id"] = in_chat
        result = await self._request("POST", f"/sandbox/users/{user_id}/messages", body)
        return int(result["message_id"])

    async def send_text(
        self, user_id: int, text: str, reply_to: int | None = None, *, in_chat: int | None = None
    ) -> int:
        """``in_chat``: a group's id, to write there instead of the private chat."""
        return await self._send(user_id, {"text": text}, reply_to, in_chat)

    async def send_photo(
        self,
        user_id: int,
        caption: str | None = None,
        reply_to: int | None = None,
        data: bytes | None = None,
    ) -> int:
        """A photo; ``data`` are the picture's bytes (else the sandbox makes up a file)."""
        encoded = None if data is None else base64.b64encode(data).decode()
        return await self._send(
            user_id, {"photo": _present(caption=caption, data=encoded)}, reply_to
        )

    async def send_voice(self, user_id: int, duration: int = 3, reply_to: int | None = None) -> int:
        return await self._send(user_id, {"voice": {"duration": duration}}, reply_to)

    async def send_video(
        self,
        user_id: int,
        duration: int = 5,
        caption: str | None = None,
        reply_to: int | None = None,
    ) -> int:
        video = _present(duration=duration, caption=caption)
        return await self._send(user_id, {"video": video}, reply_to)

    async def send_document(
        self,
        user_id: int,
        file_name: str,
        mime_type: str | None = None,
        caption: str | None = None,
        reply_to: int | None = None,
        *,
        in_chat: int | None = None,
    ) -> int:
        document = _present(file_name=file_name, mime_type=mime_type, caption=caption)
        return await self._send(user_id, {"document": document}, reply_to, in_chat)

    async def send_location(
        self, user_id: int, latitude: float, longitude: float, reply_to: int | None = None
    ) -> int:
        location = {"latitude": latitude, "longitude": longitude}
        return await self._send(user_id, {"location": location}, reply_to)

    async def send_sticker(
        self, user_id: int, emoji: str = "👍", reply_to: int | None = None
    ) -> int:
        return await self._send(user_id, {"sticker": {"emoji": emoji}}, reply_to)

    async def press(
        self,
        user_id: int,
        message_id: int,
        *,
        data: str | None = None,
        text: str | None = None,
        in_chat: int | None = None,
    ) -> str:
        """Press an inline button, by its label (``text``) or with any ``data`` at all."""
        body: dict[str, Any] = {"message_id": message_id}
        if in_chat is not None:
            body["chat_id"] = in_chat
        if data is not None:
            body["data"] = data
        if text is not None:
            body["text"] = text
        result = await self._request("POST", f"/sandbox/users/{user_id}/press", body)
        return str(result["callback_query_id"])

    async def callback_answer(self, callback_query_id: str) -> CallbackAnswer:
        data = await self._request("GET", f"/sandbox/callbacks/{callback_query_id}")
        return CallbackAnswer(
            callback_query_id=str(data["callback_query_id"]),
            answered=bool(data["answered"]),
            text=data.get("text"),
            show_alert=bool(data.get("show_alert")),
            url=data.get("url"),
            data=data.get("data"),
        )

    async def wait_for_answer(
        self,
        callback_query_id: str,
        timeout: float = 10.0,  # noqa: ASYNC109 - polls the sandbox, no single await to bound
    ) -> CallbackAnswer:
        """Poll until the bot has answered the callback query."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            answer = await self.callback_answer(callback_query_id)
            if answer["answered"]:
                return answer
            if loop.time() >= deadline:
                raise AssertionError(
                    f"callback query {callback_query_id} not answered in {timeout}s"
                )
            await asyncio.sleep(self.poll_interval)

    async def block(self, user_id: int) -> None:
        await self._request("POST", f"/sandbox/users/{user_id}/block")

    async def unblock(self, user_id: int) -> None:
        await self._request("POST", f"/sandbox/users/{user_id}/unblock")

    # --- what people see --------------------------------------------------------------

    async def messages(self, chat_id: int) -> list[SandboxMessage]:
        data = await self._request("GET", f"/sandbox/chats/{chat_id}/messages")
        return [SandboxMessage.from_json(item) for item in data]

    async def bot_messages(
        self, chat_id: int, *, include_deleted: bool = False
    ) -> list[SandboxMessage]:
        return [
            m
            for m in await self.messages(chat_id)
            if m.from_bot and (include_deleted or not m.deleted)
        ]

    async def wait_for(
        self,
        chat_id: int,
        predicate: Callable[[SandboxMessage], bool],
        timeout: float = 10.0,  # noqa: ASYNC109 - polls the sandbox, no single await to bound
        *,
        after: int | None = None,
        include_deleted: bool = False,
    ) -> SandboxMessage:
        """Poll the chat until a message matches; returns the newest match.

        ``after`` only looks at messages with a larger message_id. Deleted messages are
        skipped unless ``include_deleted``. On time-out, raises AssertionError listing the
        chat's messages.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            messages = await self.messages(chat_id)
            for message in reversed(messages):
                if message.deleted and not include_deleted:
                    continue
                if after is not None and message.message_id <= after:
                    continue
                if predicate(message):
                    return message
            if loop.time() >= deadline:
                listing = "\n".join(f"  {m.describe()}" for m in messages) or "  (no messages)"
                raise AssertionError(
                    f"no message in chat {chat_id} matched within {timeout}s; it has:\n{listing}"
                )
            await asyncio.sleep(self.poll_interval)

    # --- the sandbox itself -----------------------------------------------------------

    async def set_faults(
        self,
        *,
        rate_429: float = 0.0,
        rate_500: float = 0.0,
        rate_timeout: float = 0.0,
        timeout_seconds: float = 5.0,
        seed: int = 0,
        methods: Iterable[str] | None = None,
        delay_seconds: float = 0.0,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "delay_seconds": delay_seconds,
            "rate_429": rate_429,
            "rate_500": rate_500,
            "rate_timeout": rate_timeout,
            "timeout_seconds": timeout_seconds,
            "seed": seed,
            "methods": None if methods is None else list(methods),
        }
        result: dict[str, Any] = await self._request("POST", "/sandbox/faults", body)
        return result

    async def set_limits(
        self,
        *,
        enabled: bool = True,
        global_per_second: float = 30.0,
        chat_per_second: float = 1.0,
        chat_burst: int = 3,
    ) -> dict[str, Any]:
        body = {
            "enabled": enabled,
            "global_per_second": global_per_second,
            "chat_per_second": chat_per_second,
            "chat_burst": chat_burst,
        }
        result: dict[str, Any] = await self._request("POST", "/sandbox/limits", body)
        return result

    async def stats(self) -> dict[str, Any]:
        result: dict[str, Any] = await self._request("GET", "/sandbox/stats")
        return result

    async def commands(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = await self._request("GET", "/sandbox/commands")
        return result


def _present(**values: Any) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}
