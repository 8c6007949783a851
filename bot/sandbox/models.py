"""The sandbox's records: people, files, messages, updates, callback queries, chats,
the webhook and the counters. Plain data; ``SandboxState`` holds and changes them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bot.sandbox.entities import Entity
from bot.sandbox.keyboards import Markup

ALL_UPDATE_TYPES = (
    "message", "edited_message", "channel_post", "edited_channel_post",
    "business_connection", "business_message", "edited_business_message",
    "deleted_business_messages", "message_reaction", "message_reaction_count",
    "inline_query", "chosen_inline_result", "callback_query", "shipping_query",
    "pre_checkout_query", "purchased_paid_media", "poll", "poll_answer", "my_chat_member",
    "chat_member", "chat_join_request", "chat_boost", "removed_chat_boost",
)  # fmt: skip
DEFAULT_UPDATE_TYPES = frozenset(ALL_UPDATE_TYPES) - {
    "chat_member",
    "message_reaction",
    "message_reaction_count",
}


@dataclass
class User:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    is_bot: bool = False

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        for name in ("last_name", "username", "language_code"):
            value = getattr(self, name)
            if value:
                data[name] = value
        return data

    def chat_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        return data


@dataclass(frozen=True)
class StoredFile:
    file_id: str
    file_unique_id: str
    kind: str
    file_size: int | None = None
    mime_type: str | None = None
    file_name: str | None = None
    width: int | None = None
    height: int | None = None
    duration: int | None = None
    emoji: str | None = None
    file_path: str = ""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"file_id": self.file_id, "file_unique_id": self.file_unique_id}
        if self.kind in ("photo", "video", "sticker"):
            data["width"] = self.width or 0
            data["height"] = self.height or 0
        if self.kind in ("voice", "video", "audio"):
            data["duration"] = self.duration or 0
        if self.kind == "sticker":
            data.update(type="regular", is_animated=False, is_video=False)
            if self.emoji:
                data["emoji"] = self.emoji
        if self.file_name and self.kind in ("document", "video", "audio"):
            data["file_name"] = self.file_name
        if self.mime_type and self.kind != "photo" and self.kind != "sticker":
            data["mime_type"] = self.mime_type
        if self.file_size is not None:
            data["file_size"] = self.file_size
        return data


@dataclass
class Message:
    chat_id: int
    message_id: int
    date: int
    from_bot: bool
    sender_id: int
    kind: str
    text: str | None = None
    entities: list[Entity] = field(default_factory=list)
    html: str | None = None
    caption: str | None = None
    caption_entities: list[Entity] = field(default_factory=list)
    caption_html: str | None = None
    files: list[StoredFile] = field(default_factory=list)
    location: dict[str, float] | None = None
    reply_markup: Markup | None = None
    reply_to_message_id: int | None = None
    protect_content: bool = False
    edit_date: int | None = None
    edited: int = 0
    deleted: bool = False


@dataclass(frozen=True)
class Update:
    update_id: int
    kind: str
    payload: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"update_id": self.update_id, self.kind: self.payload}


@dataclass
class CallbackQuery:
    id: str
    user_id: int
    chat_id: int
    message_id: int
    data: str | None
    chat_instance: str
    answered: bool = False
    text: str | None = None
    show_alert: bool = False
    url: str | None = None


@dataclass
class Chat:
    """A private chat (``user_id`` is the person) or a group (``user_id`` 0, a title)."""

    id: int
    user_id: int
    messages: list[Message] = field(default_factory=list)
    next_message_id: int = 1
    blocked: bool = False
    type: str = "private"
    title: str | None = None


@dataclass
class Webhook:
    url: str = ""
    secret_token: str | None = None
    max_connections: int = 40
    ip_address: str | None = None
    last_error_date: int | None = None
    last_error_message: str | None = None

    def to_json(self, pending: int, allowed: frozenset[str] | None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "url": self.url,
            "has_custom_certificate": False,
            "pending_update_count": pending,
        }
        if self.url:
            data["max_connections"] = self.max_connections
            if self.ip_address:
                data["ip_address"] = self.ip_address
            if self.last_error_date is not None:
                data["last_error_date"] = self.last_error_date
                data["last_error_message"] = self.last_error_message or ""
            if allowed is not None:
                data["allowed_updates"] = [t for t in ALL_UPDATE_TYPES if t in allowed]
        return data


@dataclass
class Counters:
    calls: Counter[str] = field(default_factory=Counter)
    rate_limited: int = 0
    faults: Counter[str] = field(default_factory=Counter)
    updates: Counter[str] = field(default_factory=Counter)
    webhook_deliveries: int = 0
    webhook_failures: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "calls": dict(self.calls),
            "rate_limited": self.rate_limited,
            "too_many_requests": self.rate_limited + self.faults["429"],
            "faults": dict(self.faults),
            "faults_total": sum(self.faults.values()),
            "updates": dict(self.updates),
            "webhook_deliveries": self.webhook_deliveries,
            "webhook_failures": self.webhook_failures,
        }
