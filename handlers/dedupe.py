"""The first door every update passes: a repeated update (the same ``update_id``, delivered
again by Telegram to this instance or another one behind the load balancer) stops here.

The record that the update was taken is committed before any other door acts on it. In
the same transaction the sender is looked up, so the door after this one knows who is
asking without a transaction of its own (``handlers.common.who_is_asking``)."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop, BaseHandler, TypeHandler

from handlers.common import Context, find_asking, services_of
from storage.repos import updates as updates_repo

log = logging.getLogger(__name__)
GROUP = -100  # before every other handler group


async def take_once(update: Update, context: Context) -> None:
    services = services_of(context)
    async with services.sessions.begin() as session:
        first = await updates_repo.claim(session, update.update_id, services.now())
        if first:
            await find_asking(session, update)
    if not first:
        log.info("update %s was delivered again; skipped", update.update_id)
        raise ApplicationHandlerStop


def handler() -> BaseHandler[Update, Context, None]:
    return TypeHandler(Update, take_once)
