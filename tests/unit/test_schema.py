"""The migrations and the models agree, and the constraints that keep data whole hold."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.context import Services
from storage.migrate import is_current
from storage.models import Base, DayPlan, PlanStatus, Role
from storage.repos import outbox as outbox_repo
from storage.repos import people
from storage.repos.organisation import persons_named

NOW = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)


async def test_migrations_match_models(engine: AsyncEngine) -> None:
    def diff(conn: Connection) -> list[object]:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))

    async with engine.connect() as conn:
        assert await conn.run_sync(diff) == []
    assert await is_current(engine)


async def test_one_day_plan_per_coworker_and_date(services: Services) -> None:
    async with services.sessions() as session:
        kim = await people.add_person(session, name="Kim", role=Role.COWORKER, now=NOW)
        for _ in range(2):
            session.add(
                DayPlan(
                    coworker_id=kim.id,
                    day=date(2026, 11, 24),
                    status=PlanStatus.DRAFT,
                    deliver_at=NOW,
                    created_at=NOW,
                )
            )
        with pytest.raises(IntegrityError):
            await session.flush()


async def test_outbox_key_is_written_once(services: Services) -> None:
    async with services.sessions.begin() as session:
        added = [
            await outbox_repo.enqueue(
                session,
                key="morning:1:2026-11-24",
                chat_id=1,
                person_id=None,
                kind="test",
                payload={"text": "hej"},
                now=NOW,
            )
            for _ in range(2)
        ]
    assert added == [True, False]
    async with services.sessions() as session:
        assert await session.scalar(text("SELECT count(*) FROM outbox")) == 1


async def test_times_come_back_as_utc(services: Services) -> None:
    async with services.sessions.begin() as session:
        kim = await people.add_person(session, name="Kim", role=Role.COWORKER, now=NOW)
    async with services.sessions() as session:
        found = await persons_named(session, "Kim")
    assert found[0].id == kim.id
    assert found[0].created_at == NOW
    assert found[0].created_at.tzinfo is not None


async def test_foreign_keys_are_enforced(services: Services) -> None:
    async with services.sessions() as session:
        session.add(
            DayPlan(
                coworker_id=9999,
                day=date(2026, 11, 24),
                status=PlanStatus.DRAFT,
                deliver_at=NOW,
                created_at=NOW,
            )
        )
        with pytest.raises(IntegrityError):
            await session.flush()
