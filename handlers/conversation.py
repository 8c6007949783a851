"""Short button conversations (``/invite``, ``/contacts``) share their set-up here.

Their state lives in the database, not in this process (bot/telegram/chat_state.py): the step each
conversation is at and the person's draft are read before their update is processed and
written back after, so the next step may reach any instance."""

from __future__ import annotations

import warnings
from collections.abc import Container, Iterator, MutableMapping, Sequence
from datetime import timedelta

from telegram import Update
from telegram.ext import BaseHandler, ConversationHandler
from telegram.warnings import PTBUserWarning

from bot.i18n import Texts
from bot.telegram.callbacks import decode
from bot.telegram.chat_state import CONVERSATION_TIMEOUT, CURRENT
from bot.telegram.chat_state import DRAFT as DRAFT
from handlers.common import Context, who_is_asking, who_is_staff
from storage.models import Person

TIMEOUT_SECONDS = int(CONVERSATION_TIMEOUT / timedelta(seconds=1))

StateHandlers = dict[object, list[BaseHandler[Update, Context, object]]]
Key = tuple[int | str, ...]


class _StoredSteps(MutableMapping[Key, object]):
    """Where python-telegram-bot's ConversationHandler keeps each (chat, user)'s step:
    for the update being processed, its stored state; otherwise (an update processed
    outside the inbox) this process's memory, as python-telegram-bot would."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._local: dict[Key, object] = {}

    def _stored(self, key: Key) -> dict[str, object] | None:
        state = CURRENT.get()
        if state is not None and key == (state.chat_id, state.user_id):
            return state.conversations
        return None

    def __getitem__(self, key: Key) -> object:
        stored = self._stored(key)
        return self._local[key] if stored is None else stored[self._name]

    def __setitem__(self, key: Key, value: object) -> None:
        stored = self._stored(key)
        if stored is None:
            self._local[key] = value
        else:
            stored[self._name] = value

    def __delitem__(self, key: Key) -> None:
        stored = self._stored(key)
        if stored is None:
            del self._local[key]
        else:
            del stored[self._name]

    def __iter__(self) -> Iterator[Key]:
        state = CURRENT.get()
        if state is not None and self._name in state.conversations:
            yield (state.chat_id, state.user_id)
        yield from self._local

    def __len__(self) -> int:
        return sum(1 for _ in self)


class StoredConversation(ConversationHandler[Context]):
    """A ConversationHandler whose steps are stored per (chat, user) in the database.
    The time-out is applied when the state is read (bot/telegram/chat_state.py), not by a job."""

    def __init__(
        self,
        name: str,
        entry_points: list[BaseHandler[Update, Context, object]],
        states: StateHandlers,
        fallbacks: list[BaseHandler[Update, Context, object]],
    ) -> None:
        super().__init__(entry_points, states, fallbacks, name=name)
        self._conversations = _StoredSteps(name)


def conversation(
    entry: BaseHandler[Update, Context, object] | Sequence[BaseHandler[Update, Context, object]],
    states: StateHandlers,
    fallbacks: Sequence[BaseHandler[Update, Context, object]],
    name: str | None = None,
) -> ConversationHandler[Context]:
    """A conversation; its ``name`` (what its stored step is filed under) is by default
    that of its first entry point's callback, e.g. ``handlers.invite.begin``."""
    entries = list(entry) if isinstance(entry, Sequence) else [entry]
    if name is None:
        callback = entries[0].callback
        name = f"{callback.__module__}.{callback.__qualname__}"
    with warnings.catch_warnings():
        # PTB warns that buttons are tracked per chat, not per message: that is what we want,
        # one conversation per person at a time.
        warnings.simplefilter("ignore", PTBUserWarning)
        return StoredConversation(
            name, entry_points=entries, states=states, fallbacks=list(fallbacks)
        )


def draft_of(context: Context) -> dict[str, object]:
    return context.draft


async def staff_press(
    update: Update,
    context: Context,
    *,
    among: Container[int] | None = None,
    refusal: str = "button.unknown",
) -> tuple[Person, Texts, int] | None:
    """The staff member, their texts and the target of the button they pressed in a
    conversation's step. A press whose data is none of ours, carries no target, or is
    not ``among`` what the step offers (a stale or forged button) is answered with the
    ``refusal`` alert and gives None; so does a stranger's (answered by
    ``who_is_staff``). The step then stays where it was."""
    staff = await who_is_staff(update, context)
    query = update.callback_query
    if staff is None or query is None:
        return None
    t = Texts(staff.language)
    callback = decode(query.data)
    target = None if callback is None else callback.target
    if target is None or (among is not None and target not in among):
        await query.answer(t(refusal), show_alert=True)
        return None
    return staff, t, target


async def offered_press(update: Update, context: Context) -> tuple[Person, Texts, int] | None:
    """:func:`staff_press` among the ids this step offered (the draft's ``offered``);
    any other is "not yours"."""
    offered = draft_of(context).get("offered")
    among: Container[int] = offered if isinstance(offered, set) else ()
    return await staff_press(update, context, among=among, refusal="contacts.not_yours")


async def use_buttons(update: Update, context: Context) -> None:
    """Typed text where a button is expected: say so, stay in the same step."""
    person = await who_is_asking(update, context)
    if person is not None and update.effective_message is not None:
        await update.effective_message.reply_text(
            Texts(person.language)("conversation.use_buttons")
        )


async def cancel(update: Update, context: Context) -> int:
    person = await who_is_asking(update, context)
    if context.user_data is not None:
        context.user_data.pop(DRAFT, None)
    if person is not None and update.effective_message is not None:
        await update.effective_message.reply_text(Texts(person.language)("conversation.cancelled"))
    return ConversationHandler.END
