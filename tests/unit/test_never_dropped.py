"""A human message (a co-worker's words, a staff member's answer, a call for help) never
expires in the outbox: ``useful_until`` is not kept for those kinds."""

from __future__ import annotations

from datetime import timedelta

from bot.context import Services
from bot.services.day import escalation
from bot.services.messages import relay, staff_messages
from storage.repos import outbox as outbox_repo


def test_every_human_kind_is_listed() -> None:
    kinds = {relay.HEADER, relay.COPY, staff_messages.LABEL, staff_messages.COPY}
    kinds |= {escalation.NOTICE, escalation.TO_COWORKER}
    assert kinds <= outbox_repo.NEVER_DROPPED


async def test_a_human_message_keeps_no_expiry(services: Services) -> None:
    past = services.now() - timedelta(hours=1)
    async with services.sessions.begin() as session:
        for key, kind in (("a", relay.COPY), ("b", "reminder")):
            await outbox_repo.enqueue(
                session,
                key=key,
                chat_id=1,
                person_id=None,
                kind=kind,
                payload={"text": "hej"},
                now=services.now(),
                useful_until=past,
            )
    async with services.sessions() as session:
        human = await outbox_repo.by_key(session, "a")
        reminder = await outbox_repo.by_key(session, "b")
    assert human is not None and human.useful_until is None
    assert reminder is not None and reminder.useful_until == past
