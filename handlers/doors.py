"""Door decorators: who is asking is resolved once, before the door's own work.

``person_door`` lets in the active person behind the update (a stranger gets the one
polite line), ``staff_door`` a support person or admin, ``coworker_door`` a co-worker;
``button_door`` is the preamble of a button: the press read, the presser known and
allowed, and a stale or forged button answered with the same short alert everywhere.
The wrapped function keeps its name, which a conversation files its step under."""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

from telegram import CallbackQuery, Update

from bot.i18n import Texts
from bot.telegram.callbacks import Callback, decode
from handlers.common import Context, answer_stranger, button_presser, who_is_asking, who_is_staff
from storage.models import Person, Role

R = TypeVar("R")
Door = Callable[[Update, Context], Coroutine[Any, Any, R]]
PersonStep = Callable[[Update, Context, Person], Coroutine[Any, Any, R]]
ButtonStep = Callable[["Press", Context], Coroutine[Any, Any, None]]

STAFF: frozenset[Role] = frozenset({Role.SUPPORT, Role.ADMIN})
COWORKERS: frozenset[Role] = frozenset({Role.COWORKER})
UNKNOWN = "button.unknown"


@dataclass(frozen=True)
class Press:
    """A press on one of our buttons by a person allowed to press it."""

    update: Update
    query: CallbackQuery
    person: Person
    t: Texts
    callback: Callback

    @property
    def target(self) -> int:
        """What the button is about (a ``button_door`` with ``needs_target`` has one)."""
        assert self.callback.target is not None
        return self.callback.target

    async def refuse(self, key: str = UNKNOWN) -> None:
        """The press is answered with a short alert and nothing changes."""
        await self.query.answer(self.t(key), show_alert=True)


def button_door(
    *, roles: Collection[Role] | None = None, needs_target: bool = True
) -> Callable[[ButtonStep], Door[None]]:
    """A button's door: a stranger is answered; a press by someone not of ``roles``, or
    whose data is none of ours (or carries no target when ``needs_target``), gets the
    alert that the button is unknown."""

    def wrap(door: ButtonStep) -> Door[None]:
        @functools.wraps(door)
        async def pressed(update: Update, context: Context) -> None:
            found = await button_presser(update, context)
            if found is None:
                return
            query, person = found
            t = Texts(person.language)
            callback = decode(query.data)
            if (
                callback is None
                or (needs_target and callback.target is None)
                or (roles is not None and person.role not in roles)
            ):
                await query.answer(t(UNKNOWN), show_alert=True)
                return
            await door(Press(update, query, person, t, callback), context)

        return pressed

    return wrap


def person_door(step: PersonStep[None]) -> Door[None]:
    """A door for any active person; a stranger gets the one polite line."""

    @functools.wraps(step)
    async def door(update: Update, context: Context) -> None:
        person = await who_is_asking(update, context)
        if person is None:
            await answer_stranger(update, context)
            return
        await step(update, context, person)

    return door


def staff_door(otherwise: R) -> Callable[[PersonStep[R]], Door[R]]:
    """A door for staff: a stranger or co-worker is answered (``who_is_staff``) and the
    door gives ``otherwise`` (in a conversation: the step it stays at, or its end)."""

    def wrap(step: PersonStep[R]) -> Door[R]:
        @functools.wraps(step)
        async def door(update: Update, context: Context) -> R:
            staff = await who_is_staff(update, context)
            if staff is None:
                return otherwise
            return await step(update, context, staff)

        return door

    return wrap


def coworker_door(step: PersonStep[None]) -> Door[None]:
    """A door for co-workers: a stranger is answered, staff are told it is for co-workers."""

    @functools.wraps(step)
    async def door(update: Update, context: Context) -> None:
        person = await who_is_asking(update, context)
        if person is None:
            await answer_stranger(update, context)
            return
        if person.role is not Role.COWORKER:
            if update.effective_message is not None:
                await update.effective_message.reply_text(Texts(person.language)("coworker.only"))
            return
        await step(update, context, person)

    return door
