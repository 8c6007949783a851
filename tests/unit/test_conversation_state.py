"""Conversation state kept in the database (bot/telegram/chat_state.py, handlers/conversation.py):
each conversation is filed under a name of its own; a state is read back as written,
with a conversation past its time-out ended and what else the person was asked kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.context import Services
from bot.runtime.app import build_application
from bot.telegram.chat_state import CONVERSATION_TIMEOUT, DRAFT, ChatState, restore
from handlers.conversation import StoredConversation
from storage.models import Role
from storage.repos import conversations as conversations_repo
from tests.conftest import TEST_TOKEN

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def test_every_conversation_is_filed_under_a_name_of_its_own(services: Services) -> None:
    application = build_application(services, TEST_TOKEN)
    names = [
        handler.name
        for group in application.handlers.values()
        for handler in group
        if isinstance(handler, StoredConversation)
    ]
    assert len(names) >= 6 and len(set(names)) == len(names)
    assert "handlers.invite.begin" in names


def test_a_state_is_read_back_and_a_stale_conversation_ends() -> None:
    state = ChatState(7, 7)
    state.user_data.update({DRAFT: {"role": Role.ADMIN, "offered": {1, 2}}, "awaiting": "m"})
    state.conversations["handlers.invite.begin"] = 1
    write, dumped = state.to_store()
    assert write and dumped is not None

    again = restore(7, 7, (dumped, NOW), NOW + timedelta(minutes=1))
    assert again.user_data[DRAFT] == {"role": Role.ADMIN, "offered": {1, 2}}
    assert again.conversations == {"handlers.invite.begin": 1}

    stale = restore(7, 7, (dumped, NOW), NOW + CONVERSATION_TIMEOUT + timedelta(seconds=1))
    assert stale.conversations == {} and stale.user_data == {"awaiting": "m"}

    broken = restore(7, 7, (b"not a state", NOW), NOW)  # e.g. from an older version
    assert broken.user_data == {} and broken.conversations == {}
    assert ChatState(7, 7).to_store() == (False, None)  # nothing going on: nothing kept


async def test_a_state_is_stored_per_chat_and_person_and_forgotten_after_a_day(
    services: Services,
) -> None:
    now = services.now()
    async with services.sessions.begin() as session:
        await conversations_repo.save(session, 7, 7, b"kim", now)
        await conversations_repo.save(session, 7, 7, b"kim, later", now)  # the same row
        await conversations_repo.save(session, 8, 8, b"sara", now + timedelta(hours=2))
    async with services.sessions.begin() as session:
        assert await conversations_repo.load(session, 7, 7) == (b"kim, later", now)
        assert await conversations_repo.forget_before(session, now + timedelta(hours=1)) == 1
        assert await conversations_repo.load(session, 7, 7) is None
        await conversations_repo.save(session, 8, 8, None, now)  # nothing going on
        assert await conversations_repo.load(session, 8, 8) is None
