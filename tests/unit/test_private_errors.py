"""What the database cannot hold or must not tell: a NUL in text is stored as the
replacement character (on SQLite and PostgreSQL alike), a failing statement does not
show its values, and the error handler's traceback names no value."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from bot.context import Services
from bot.logs import stack_without_values
from handlers.errors import on_error
from storage.models import Message, Person, Role
from storage.repos import people

SECRET = "Kims hemlighet 4711"


async def test_a_nul_is_stored_as_the_replacement_character(services: Services) -> None:
    async with services.sessions.begin() as session:
        kim = await people.add_person(
            session, name="Kim\x00", role=Role.COWORKER, now=services.now()
        )
        session.add(
            Message(
                coworker_id=kim.id,
                direction="from_coworker",
                kind="text",
                body="hej\x00då",
                source_chat_id=1,
                source_message_id=1,
                created_at=services.now(),
            )
        )
    async with services.sessions() as session:
        assert await session.scalar(select(Person.display_name)) == "Kim\ufffd"
        assert await session.scalar(select(Message.body)) == "hej\ufffddå"
        found = await session.scalar(select(Person.id).where(Person.display_name == "Kim\x00"))
    assert found == kim.id  # compared the same way


async def test_a_failing_statement_does_not_show_its_values(services: Services) -> None:
    async with services.sessions.begin() as session:
        kim = await people.add_person(session, name="Kim", role=Role.COWORKER, now=services.now())
    insert = text(
        "INSERT INTO persons (id, display_name, role, language, morning_time, quiet_start,"
        " quiet_end, capacity, evening_preview, active, unreachable, created_at)"
        " VALUES (:id, :name, 'coworker', 'sv', '08:00:00', '20:00:00', '07:00:00', 6,"
        " false, true, false, :at)"
    )
    with pytest.raises(IntegrityError) as caught:
        async with services.sessions.begin() as session:
            await session.execute(
                insert, {"id": kim.id, "name": SECRET, "at": datetime(2026, 11, 24, tzinfo=UTC)}
            )
    assert SECRET not in str(caught.value)
    assert SECRET not in stack_without_values(caught.value)


async def test_the_error_handler_logs_where_not_what(caplog: pytest.LogCaptureFixture) -> None:
    class FakeContext:
        error = ValueError(f"invalid literal for int(): {SECRET!r}")

    try:
        raise FakeContext.error
    except ValueError:
        pass
    with caplog.at_level(logging.ERROR, logger="handlers.errors"):
        await on_error(object(), FakeContext())  # type: ignore[arg-type]
    (record,) = caplog.records
    logged = caplog.text
    assert "ValueError" in logged and "test_private_errors.py" in logged
    assert SECRET not in logged and record.exc_info is None
