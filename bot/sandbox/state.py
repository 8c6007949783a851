"""The sandbox's world: people, their private chats with the bot (and groups the bot is
in), messages and updates.

Pure data and logic, no HTTP. The Bot API side (``botapi``) and the people side
(``people_api``) both change it; tests read it to see what a person sees.

Private chats have the person's user id as chat id; a group has a negative id. Message
ids grow per chat and are shared by the person's and the bot's messages, as in Telegram.
Every message is kept, with its edits counted and deletions flagged.
"""

from __future__ import annotations

import base64
import hashlib
import time
from collections.abc import Callable, Iterable
from typing import Any

from bot.sandbox.keyboards import message_markup
from bot.sandbox.models import (
    ALL_UPDATE_TYPES,
    DEFAULT_UPDATE_TYPES,
    CallbackQuery,
    Chat,
    Counters,
    Message,
    StoredFile,
    Update,
    User,
    Webhook,
)

_FILE_PREFIX = {
    "photo": "AgACAgIAAxkBAA",
    "document": "BQACAgIAAxkBAA",
    "voice": "AwACAgIAAxkBAA",
    "video": "BAACAgIAAxkBAA",
    "sticker": "CAACAgIAAxkBAA",
    "audio": "CQACAgIAAxkBAA",
}
_UNIQUE_PREFIX = {"photo": "AQAD", "sticker": "AgAD"}
_FOLDERS = {
    "photo": ("photos", "jpg"),
    "document": ("documents", ""),
    "voice": ("voice", "oga"),
    "video": ("videos", "mp4"),
    "sticker": ("stickers", "webp"),
    "audio": ("music", "mp3"),
}

UpdateListener = Callable[[Update], None]


class SandboxState:
    """Everything the fake Telegram knows."""

    def __init__(
        self,
        token: str,
        bot_username: str = "VardagBot",
        bot_first_name: str = "Vardag",
        *,
        first_update_id: int = 1,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.token = token
        head = token.split(":", 1)[0]
        self.bot_id = int(head) if head.isdigit() else 0
        self.bot_user = User(self.bot_id, bot_first_name, username=bot_username, is_bot=True)
        self.clock = clock
        self.users: dict[int, User] = {}
        self.chats: dict[int, Chat] = {}
        self.callbacks: dict[str, CallbackQuery] = {}
        self.files: dict[str, StoredFile] = {}
        self._photo_groups: dict[str, list[StoredFile]] = {}
        self.file_data: dict[str, bytes] = {}  # uploaded bytes by file_path
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.webhook = Webhook()
        self.allowed_updates: frozenset[str] | None = None  # None: Telegram's default
        self.counters = Counters()
        self._updates: list[Update] = []
        self._next_update_id = first_update_id
        self._file_seq = 0
        self._callback_seq = 0
        self._listeners: list[UpdateListener] = []

    # --- people and chats -------------------------------------------------------------

    def now(self) -> int:
        return int(self.clock())

    def add_user(
        self,
        user_id: int,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
        started: bool = False,
    ) -> User:
        """Add (or update) a person. ``started``: they have already started the bot, so
        their chat is known to it, without a message or an update."""
        user = User(user_id, first_name, last_name, username, language_code)
        self.users[user_id] = user
        if started:
            self._chat_for(user_id)
        return user

    def chat(self, chat_id: int) -> Chat | None:
        """A chat the bot knows (the person wrote to it at least once)."""
        return self.chats.get(chat_id)

    def _chat_for(self, user_id: int) -> Chat:
        chat = self.chats.get(user_id)
        if chat is None:
            chat = Chat(id=user_id, user_id=user_id)
            self.chats[user_id] = chat
        return chat

    def add_group(self, chat_id: int, title: str) -> Chat:
        """A group chat the bot is a member of (a negative id, as in Telegram)."""
        chat = Chat(id=chat_id, user_id=0, type="group", title=title)
        self.chats[chat_id] = chat
        return chat

    def chat_json(self, chat: Chat) -> dict[str, Any]:
        if chat.type == "private":
            return self.users[chat.user_id].chat_json()
        return {"id": chat.id, "type": chat.type, "title": chat.title or ""}

    def messages(self, chat_id: int) -> list[Message]:
        chat = self.chats.get(chat_id)
        return list(chat.messages) if chat else []

    def find_message(self, chat_id: int, message_id: int) -> Message | None:
        chat = self.chats.get(chat_id)
        if chat is None:
            return None
        for message in chat.messages:
            if message.message_id == message_id:
                return message
        return None

    def live_message(self, chat_id: int, message_id: int) -> Message | None:
        message = self.find_message(chat_id, message_id)
        return None if message is None or message.deleted else message

    def add_message(
        self,
        chat_id: int,
        *,
        from_bot: bool,
        kind: str,
        sender_id: int | None = None,
        **content: Any,
    ) -> Message:
        chat = self.chats[chat_id]
        if sender_id is None:
            sender_id = self.bot_id if from_bot else chat.user_id
        message = Message(
            chat_id=chat_id,
            message_id=chat.next_message_id,
            date=self.now(),
            from_bot=from_bot,
            sender_id=sender_id,
            kind=kind,
            **content,
        )
        chat.next_message_id += 1
        chat.messages.append(message)
        return message

    def post_user_message(
        self, user_id: int, *, kind: str, chat_id: int | None = None, **content: Any
    ) -> tuple[Message, Update | None]:
        """A person writes to the bot: the chat becomes known, a ``message`` update follows.
        With ``chat_id`` of a group, the person writes in that group instead.

        A person who had blocked the bot unblocks it by writing (as Telegram's "Restart").
        """
        if chat_id is not None and chat_id != user_id:
            group = self.chats[chat_id]
            message = self.add_message(
                group.id, from_bot=False, kind=kind, sender_id=user_id, **content
            )
            return message, self.emit("message", self.message_json(message))
        chat = self._chat_for(user_id)
        if chat.blocked:
            self.unblock(user_id)
        message = self.add_message(chat.id, from_bot=False, kind=kind, **content)
        return message, self.emit("message", self.message_json(message))

    def edit_user_message(self, message: Message, text: str) -> Update | None:
        """A person edits their own text (or a caption): an ``edited_message`` update."""
        if message.kind == "text":
            message.text, message.entities = text, []
        else:
            message.caption, message.caption_entities = text, []
        message.edit_date = self.now()
        message.edited += 1
        return self.emit("edited_message", self.message_json(message))

    def press(
        self, user_id: int, message: Message, data: str | None
    ) -> tuple[CallbackQuery, Update | None]:
        self._callback_seq += 1
        digest = hashlib.sha256(f"{self.token}:cq:{self._callback_seq}".encode()).hexdigest()
        query = CallbackQuery(
            id=str(int(digest[:15], 16)),
            user_id=user_id,
            chat_id=message.chat_id,
            message_id=message.message_id,
            data=data,
            chat_instance=self.chat_instance(message.chat_id),
        )
        self.callbacks[query.id] = query
        payload: dict[str, Any] = {
            "id": query.id,
            "from": self.users[user_id].to_json(),
            "message": self.message_json(message),
            "chat_instance": query.chat_instance,
        }
        if data is not None:
            payload["data"] = data
        return query, self.emit("callback_query", payload)

    def chat_instance(self, chat_id: int) -> str:
        digest = hashlib.sha256(f"{self.bot_id}:{chat_id}".encode()).hexdigest()
        return str(int(digest[:15], 16) - (1 << 59))

    def block(self, user_id: int) -> bool:
        """The person blocks the bot; False when it already was."""
        chat = self._chat_for(user_id)
        if chat.blocked:
            return False
        chat.blocked = True
        self._member_update(user_id, "member", "kicked")
        return True

    def unblock(self, user_id: int) -> bool:
        chat = self._chat_for(user_id)
        if not chat.blocked:
            return False
        chat.blocked = False
        self._member_update(user_id, "kicked", "member")
        return True

    def _member_update(self, user_id: int, old: str, new: str) -> None:
        user = self.users[user_id]

        def member(status: str) -> dict[str, Any]:
            data: dict[str, Any] = {"status": status, "user": self.bot_user.to_json()}
            if status == "kicked":
                data["until_date"] = 0
            return data

        self.emit(
            "my_chat_member",
            {
                "chat": user.chat_json(),
                "from": user.to_json(),
                "date": self.now(),
                "old_chat_member": member(old),
                "new_chat_member": member(new),
            },
        )

    # --- files ------------------------------------------------------------------------

    def new_file(self, kind: str, *, data: bytes | None = None, **details: Any) -> StoredFile:
        """A new file with stable-looking ids; ``data`` are its bytes if it was uploaded."""
        self._file_seq += 1
        folder, extension = _FOLDERS.get(kind, ("documents", ""))
        name = details.get("file_name")
        if kind == "document" and isinstance(name, str) and "." in name:
            extension = name.rsplit(".", 1)[1]
        path = f"{folder}/file_{self._file_seq}" + (f".{extension}" if extension else "")
        digest = hashlib.sha256(f"{self.token}:{kind}:{self._file_seq}".encode()).digest()
        body = base64.urlsafe_b64encode(digest * 2).decode().rstrip("=")
        unique = base64.urlsafe_b64encode(digest[:9]).decode()
        stored = StoredFile(
            file_id=_FILE_PREFIX.get(kind, "BQACAgIAAxkBAA") + body[:58],
            file_unique_id=_UNIQUE_PREFIX.get(kind, "AgAD") + unique,
            kind=kind,
            file_path=path,
            **details,
        )
        self.files[stored.file_id] = stored
        if data is not None:
            self.file_data[path] = data
        return stored

    def file_by_path(self, path: str) -> StoredFile | None:
        for stored in self.files.values():
            if stored.file_path == path:
                return stored
        return None

    def new_photo(
        self, file_size: int | None = None, data: bytes | None = None
    ) -> list[StoredFile]:
        """A photo as Telegram stores it: the same picture in three sizes."""
        sizes = ((90, 67), (320, 240), (800, 600))
        total = file_size or 48_000
        group = [
            self.new_file(
                "photo",
                width=w,
                height=h,
                file_size=max(1, total * w // 800),
                data=data if w == 800 else None,
            )
            for w, h in sizes
        ]
        for size in group:
            self._photo_groups[size.file_id] = group
        return group

    def stored_files(self, file_id: str) -> list[StoredFile] | None:
        """What a known file_id stands for: all sizes of a photo, else the one file."""
        if file_id in self._photo_groups:
            return list(self._photo_groups[file_id])
        stored = self.files.get(file_id)
        return None if stored is None else [stored]

    # --- JSON as the Bot API shows it ---------------------------------------------------

    def sender_json(self, message: Message) -> dict[str, Any]:
        if message.from_bot:
            return self.bot_user.to_json()
        return self.users[message.sender_id].to_json()

    def message_json(self, message: Message, *, with_reply: bool = True) -> dict[str, Any]:
        chat = self.chats[message.chat_id]
        data: dict[str, Any] = {
            "message_id": message.message_id,
            "from": self.sender_json(message),
            "chat": self.chat_json(chat),
            "date": message.date,
        }
        if message.edit_date is not None:
            data["edit_date"] = message.edit_date
        if with_reply and message.reply_to_message_id is not None:
            replied = self.live_message(message.chat_id, message.reply_to_message_id)
            if replied is not None:
                data["reply_to_message"] = self.message_json(replied, with_reply=False)
        if message.protect_content:
            data["has_protected_content"] = True
        if message.text is not None:
            data["text"] = message.text
            if message.entities:
                data["entities"] = message.entities
        _media_json(message, data)
        if message.caption:
            data["caption"] = message.caption
            if message.caption_entities:
                data["caption_entities"] = message.caption_entities
        markup = message_markup(message.reply_markup)
        if markup is not None:
            data["reply_markup"] = markup
        return data

    # --- updates ----------------------------------------------------------------------

    def add_update_listener(self, listener: UpdateListener) -> None:
        self._listeners.append(listener)

    def remove_update_listener(self, listener: UpdateListener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def emit(self, kind: str, payload: dict[str, Any]) -> Update | None:
        """Queue an update, unless the bot's allowed_updates leave it out (as Telegram does
        when an update is created, not when it is fetched)."""
        allowed = DEFAULT_UPDATE_TYPES if self.allowed_updates is None else self.allowed_updates
        if kind not in allowed:
            return None
        update = Update(self._next_update_id, kind, payload)
        self._next_update_id += 1
        self._updates.append(update)
        self.counters.updates[kind] += 1
        for listener in list(self._listeners):
            listener(update)
        return update

    @property
    def next_update_id(self) -> int:
        return self._next_update_id

    def pending_updates(self) -> list[Update]:
        return list(self._updates)

    def take_updates(self, offset: int, limit: int) -> list[Update]:
        """getUpdates' offset rules: forget what ``offset`` confirms, return what's left.

        A negative offset counts from the end of the queue; an offset beyond the next update
        id is ignored (everything pending is returned, nothing forgotten).
        """
        if not self._updates:
            return []
        head = self._updates[0].update_id
        if offset < 0:
            offset += self._next_update_id
        if offset > self._next_update_id:
            offset = head
        offset = max(offset, head)
        self.confirm(offset - 1)
        return self._updates[: max(1, min(limit, 100))]

    def confirm(self, up_to_update_id: int) -> None:
        """Forget updates whose id is at most ``up_to_update_id``."""
        self._updates = [u for u in self._updates if u.update_id > up_to_update_id]

    def drop_pending_updates(self) -> None:
        self._updates.clear()

    def set_allowed_updates(self, value: Any) -> None:
        """Telegram's rules: absent or not a list keeps the setting; a list with no known
        type name (e.g. empty) restores the default; otherwise the named types."""
        if not isinstance(value, list):
            return
        names = {str(v).lower() for v in value if isinstance(v, str)}
        known = frozenset(names & set(ALL_UPDATE_TYPES))
        self.allowed_updates = None if not known or known == DEFAULT_UPDATE_TYPES else known

    # --- commands ---------------------------------------------------------------------

    def set_commands(self, scope: str, language: str, commands: Iterable[dict[str, str]]) -> None:
        self.commands[(scope, language)] = [dict(c) for c in commands]

    def get_commands(self, scope: str, language: str) -> list[dict[str, str]]:
        return [dict(c) for c in self.commands.get((scope, language), [])]

    def delete_commands(self, scope: str, language: str) -> None:
        self.commands.pop((scope, language), None)


def _media_json(message: Message, data: dict[str, Any]) -> None:
    if message.kind == "photo":
        data["photo"] = [f.to_json() for f in message.files]
    elif message.kind in ("document", "voice", "video", "sticker", "audio") and message.files:
        data[message.kind] = message.files[0].to_json()
    elif message.kind == "location" and message.location is not None:
        data["location"] = dict(message.location)
