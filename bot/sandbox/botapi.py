"""The Bot API: method name + parameters → result, or a Telegram error.

``BotApi.call`` is what the HTTP layer calls for ``/bot<token>/<method>``. It counts the
call, applies injected faults, then runs the method. Methods that send or edit messages
take a token from the rate limiter just before they change anything.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from bot.sandbox.errors import (
    WEBHOOK_ACTIVE,
    bad_request,
    conflict,
    gateway_timeout,
    internal_error,
    not_found,
    too_many_requests,
)
from bot.sandbox.limits import FaultInjector, RateLimiter
from bot.sandbox.models import Update, Webhook
from bot.sandbox.params import Params
from bot.sandbox.sending import MessageMethods
from bot.sandbox.state import SandboxState

Handler = Callable[[Params], Awaitable[Any]]

LONG_POLL_MAX_TIMEOUT = 50
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_TERMINATED_BY_POLL = (
    "terminated by other getUpdates request; make sure that only one bot instance is running"
)


@dataclass(frozen=True)
class Described:
    """A result that Telegram sends with a ``description`` (setWebhook, deleteWebhook)."""

    result: Any
    description: str


class _Waiter:
    def __init__(self) -> None:
        self.event = asyncio.Event()
        self.abort: str | None = None


class BotApi:
    def __init__(
        self,
        state: SandboxState,
        *,
        limiter: RateLimiter | None = None,
        faults: FaultInjector | None = None,
    ) -> None:
        self.state = state
        self.limiter = limiter or RateLimiter()
        self.faults = faults or FaultInjector()
        self.on_webhook_change: Callable[[], None] | None = None
        self._messages = MessageMethods(state, self.acquire)
        self._waiters: list[_Waiter] = []
        self._closing: asyncio.Event | None = None
        self._closed = False
        m = self._messages
        table: dict[str, Handler] = {
            "getMe": self.get_me,
            "logOut": self.log_out,
            "close": self.close_bot,
            "getUpdates": self.get_updates,
            "setWebhook": self.set_webhook,
            "deleteWebhook": self.delete_webhook,
            "getWebhookInfo": self.get_webhook_info,
            "setMyCommands": self.set_my_commands,
            "getMyCommands": self.get_my_commands,
            "deleteMyCommands": self.delete_my_commands,
            "sendMessage": m.send_message,
            "sendPhoto": m.send_photo,
            "sendDocument": m.send_document,
            "sendVoice": m.send_voice,
            "sendVideo": m.send_video,
            "sendAudio": m.send_audio,
            "sendSticker": m.send_sticker,
            "sendLocation": m.send_location,
            "copyMessage": m.copy_message,
            "editMessageText": m.edit_message_text,
            "editMessageCaption": m.edit_message_caption,
            "editMessageReplyMarkup": m.edit_message_reply_markup,
            "deleteMessage": m.delete_message,
            "answerCallbackQuery": m.answer_callback_query,
            "sendChatAction": m.send_chat_action,
            "getFile": self.get_file,
        }
        self._methods = {name.lower(): (name, fn) for name, fn in table.items()}
        state.add_update_listener(self._on_update)

    # --- the entry point --------------------------------------------------------------

    def method_name(self, method: str) -> str | None:
        """The canonical name of ``method`` (matched case-insensitively), if it exists."""
        entry = self._methods.get(method.lower())
        return None if entry is None else entry[0]

    async def call(self, method: str, params: Params) -> Any:
        entry = self._methods.get(method.lower())
        if entry is None:
            raise not_found()
        name, handler = entry
        counters = self.state.counters
        counters.calls[name] += 1
        fault = self.faults.roll(name)
        if fault is not None:
            counters.faults[fault] += 1
            if fault == "429":
                raise too_many_requests(1)
            if fault == "500":
                raise internal_error()
            await self._sleep(self.faults.config.timeout_seconds)
            raise gateway_timeout()
        result = await handler(params)
        slow = self.faults.config.delay_seconds
        if slow > 0 and self.faults.config.affects(name):
            await self._sleep(slow)  # taken at once, answered late: a slow Telegram
        return result

    def acquire(self, chat_id: int) -> None:
        retry_after = self.limiter.acquire(chat_id)
        if retry_after is not None:
            self.state.counters.rate_limited += 1
            raise too_many_requests(retry_after)

    def close(self) -> None:
        """Stop waiting: long polls answer now, held (timed-out) calls end."""
        self._closed = True
        self._closing_event().set()
        for waiter in list(self._waiters):
            waiter.event.set()
        self.state.remove_update_listener(self._on_update)

    def _closing_event(self) -> asyncio.Event:
        if self._closing is None:
            self._closing = asyncio.Event()
        return self._closing

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closing_event().wait(), seconds)

    def _on_update(self, update: Update) -> None:
        del update
        for waiter in list(self._waiters):
            waiter.event.set()

    def _abort_long_polls(self, reason: str) -> None:
        for waiter in list(self._waiters):
            waiter.abort = reason
            waiter.event.set()

    # --- bot and session --------------------------------------------------------------

    async def get_me(self, params: Params) -> dict[str, Any]:
        data = self.state.bot_user.to_json()
        data.update(
            can_join_groups=True,
            can_read_all_group_messages=False,
            supports_inline_queries=False,
            can_connect_to_business=False,
            has_main_web_app=False,
        )
        return data

    async def log_out(self, params: Params) -> bool:
        return True

    async def close_bot(self, params: Params) -> bool:
        return True

    # --- updates ----------------------------------------------------------------------

    async def get_updates(self, params: Params) -> list[dict[str, Any]]:
        state = self.state
        if state.webhook.url:
            raise conflict(WEBHOOK_ACTIVE)
        offset = params.get_int("offset", 0) or 0
        limit = min(max(params.get_int("limit", 100) or 100, 1), 100)
        timeout = min(max(params.get_int("timeout", 0) or 0, 0), LONG_POLL_MAX_TIMEOUT)
        state.set_allowed_updates(params.get_json("allowed_updates"))
        updates = state.take_updates(offset, limit)
        if updates or timeout == 0 or self._closed:
            return [u.to_json() for u in updates]
        self._abort_long_polls(_TERMINATED_BY_POLL)
        waiter = _Waiter()
        self._waiters.append(waiter)
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(waiter.event.wait(), timeout)
        finally:
            self._waiters.remove(waiter)
        if waiter.abort is not None:
            raise conflict(waiter.abort)
        return [u.to_json() for u in state.take_updates(offset, limit)]

    async def set_webhook(self, params: Params) -> Described:
        url = (params.get_str("url") or "").strip()
        if not url:
            return await self.delete_webhook(params)
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise bad_request("invalid webhook URL specified")
        secret = params.get_str("secret_token") or None
        if secret is not None and _SECRET.fullmatch(secret) is None:
            raise bad_request("secret token contains unallowed characters")
        state = self.state
        already = state.webhook.url == url and state.webhook.secret_token == secret
        self._abort_long_polls("terminated by setWebhook request")
        if params.get_bool("drop_pending_updates"):
            state.drop_pending_updates()
        max_connections = min(max(params.get_int("max_connections", 40) or 40, 1), 100)
        state.webhook = Webhook(
            url=url,
            secret_token=secret,
            max_connections=max_connections,
            ip_address=params.get_str("ip_address") or None,
        )
        state.set_allowed_updates(params.get_json("allowed_updates"))
        self._webhook_changed()
        return Described(True, "Webhook is already set" if already else "Webhook was set")

    async def delete_webhook(self, params: Params) -> Described:
        state = self.state
        had = bool(state.webhook.url)
        if params.get_bool("drop_pending_updates"):
            state.drop_pending_updates()
        state.webhook = Webhook()
        self._webhook_changed()
        return Described(True, "Webhook was deleted" if had else "Webhook is already deleted")

    def _webhook_changed(self) -> None:
        if self.on_webhook_change is not None:
            self.on_webhook_change()

    async def get_webhook_info(self, params: Params) -> dict[str, Any]:
        state = self.state
        return state.webhook.to_json(len(state.pending_updates()), state.allowed_updates)

    async def get_file(self, params: Params) -> dict[str, Any]:
        stored = self.state.files.get(params.get_str("file_id") or "")
        if stored is None:
            raise bad_request("invalid file_id")
        data: dict[str, Any] = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_path": stored.file_path,
        }
        if stored.file_size is not None:
            data["file_size"] = stored.file_size
        return data

    # --- commands ---------------------------------------------------------------------

    def _scope(self, params: Params) -> tuple[str, str]:
        scope = params.get_json("scope", "bot command scope")
        if scope is None:
            scope = {"type": "default"}
        if not isinstance(scope, dict) or not isinstance(scope.get("type"), str):
            raise bad_request("can't parse BotCommandScope: expected an Object")
        language = params.get_str("language_code") or ""
        return json.dumps(scope, sort_keys=True), language

    async def set_my_commands(self, params: Params) -> bool:
        commands = params.get_json("commands", "commands")
        if commands is None:
            commands = []
        if not isinstance(commands, list):
            raise bad_request("expected an Array of BotCommand")
        if len(commands) > 100:
            raise bad_request("BOT_COMMANDS_TOO_MUCH")
        checked: list[dict[str, str]] = []
        for item in commands:
            if not isinstance(item, dict):
                raise bad_request("can't parse BotCommand: expected an Object")
            command, description = item.get("command"), item.get("description")
            if not isinstance(command, str) or not isinstance(description, str):
                raise bad_request('can\'t parse BotCommand: Field "command" must be of type String')
            command = command.strip().removeprefix("/").lower()
            if _COMMAND.fullmatch(command) is None:
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(description.strip()) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            checked.append({"command": command, "description": description.strip()})
        scope, language = self._scope(params)
        self.state.set_commands(scope, language, checked)
        return True

    async def get_my_commands(self, params: Params) -> list[dict[str, str]]:
        scope, language = self._scope(params)
        return self.state.get_commands(scope, language)

    async def delete_my_commands(self, params: Params) -> bool:
        scope, language = self._scope(params)
        self.state.delete_commands(scope, language)
        return True
