"""The first door every update passes: it goes on only while this instance still holds
the update in the inbox (bot/runtime/intake.py), so an update delivered again, or taken over by
another instance, is processed once.

An update the inbox took a moment ago is this instance's still (its lease has far to
run), and the inbox looked its sender up in the transaction that took it: then nothing
is asked of the database here. Otherwise (taken a while ago, or processed outside the
inbox) the lease is read, and the sender looked up, in one transaction. Either way the
door after this one knows who is asking without a transaction of its own
(``handlers.common.who_is_asking``). When the check fails (the database is away), no
other door runs: the update stays in the inbox and is tried again."""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import Update
from telegram.ext import ApplicationHandlerStop, BaseHandler, TypeHandler

from bot.telegram.intake_scope import SCOPE, still_held
from handlers.common import Context, find_asking, found_asking, services_of

log = logging.getLogger(__name__)
GROUP = -100  # before every other handler group


async def take_once(update: Update, context: Context) -> None:
    scope = SCOPE.get()
    services = services_of(context)
    lease = timedelta(seconds=services.settings.update_lease_seconds)
    if scope is not None and scope.asking is not None and scope.taken_just_now(lease):
        found_asking(update, scope.asking.person)
        return
    try:
        async with services.sessions.begin() as session:
            held = scope is None or await still_held(session, update.update_id, scope.token)
            if held:
                await find_asking(session, update)
    except Exception as exc:
        log.warning("update %s could not be checked (%s)", update.update_id, type(exc).__name__)
        if scope is not None:
            scope.failed = True
        raise ApplicationHandlerStop from exc
    if not held:
        log.info("update %s is no longer this instance's; skipped", update.update_id)
        raise ApplicationHandlerStop


def handler() -> BaseHandler[Update, Context, None]:
    return TypeHandler(Update, take_once)
