"""The promise mechanism: a due promise not kept goes to its handler once, and the outcome
is on the row; a kept one is left alone; making a promise twice makes one row."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.rules.clock import MovableClock
from bot.services import promises
from bot.services.promises import Result
from storage.models import Promise, Role
from storage.repos import people

KIND = "test_kind"
calls: list[tuple[int, str]] = []


@pytest.fixture(autouse=True)
def handler() -> Iterator[None]:
    async def told(services: Services, session: AsyncSession, promise: Promise) -> Result:
        calls.append((promise.id, promise.subject))
        return Result(f"told_coworker:{promise.data['n']}")

    calls.clear()
    promises.register(KIND, told)
    yield
    calls.clear()


async def kim(services: Services) -> int:
    async with services.sessions.begin() as session:
        person = await people.add_person(
            session, name="Kim", role=Role.COWORKER, now=services.now()
        )
        return person.id


async def make(services: Services, person_id: int, subject: str, n: int = 1) -> int:
    async with services.sessions.begin() as session:
        promise = await promises.make(
            services,
            session,
            kind=KIND,
            subject=subject,
            person_id=person_id,
            owner_id=None,
            due_at=services.now() + timedelta(minutes=10),
            data={"n": n},
        )
        return promise.id


async def row(services: Services, promise_id: int) -> Promise:
    async with services.sessions() as session:
        return await session.get_one(Promise, promise_id)


async def test_a_due_promise_not_kept_runs_its_handler_once_and_records_it(
    services: Services, clock: MovableClock
) -> None:
    promise_id = await make(services, await kim(services), "test:1", n=7)
    assert await promises.run_due(services) == 0  # not due yet
    assert calls == []
    clock.advance(timedelta(minutes=10))
    assert await promises.run_due(services) == 1
    assert await promises.run_due(services) == 0
    assert calls == [(promise_id, "test:1")]
    closed = await row(services, promise_id)
    assert closed.outcome == "told_coworker:7"
    assert closed.closed_at is not None and closed.kept_at is None
    assert services.now() - closed.closed_at < timedelta(seconds=5)
    assert closed.attempts == 1


async def test_a_kept_promise_runs_nothing(services: Services, clock: MovableClock) -> None:
    promise_id = await make(services, await kim(services), "test:kept")
    async with services.sessions.begin() as session:
        assert await promises.keep(services, session, "test:kept")
        assert not await promises.keep(services, session, "test:kept")  # once
        assert not await promises.keep(services, session, "test:unknown")
    clock.advance(timedelta(hours=1))
    assert await promises.run_due(services) == 0
    assert calls == []
    kept = await row(services, promise_id)
    assert kept.kept_at is not None and kept.closed_at is not None and kept.outcome == "kept"


async def test_making_a_promise_twice_makes_one_row(services: Services) -> None:
    person_id = await kim(services)
    first = await make(services, person_id, "test:twice", n=1)
    second = await make(services, person_id, "test:twice", n=2)
    assert first == second
    async with services.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Promise)) == 1
    assert (await row(services, first)).data == {"n": 1}


async def test_a_handler_may_try_again_later_and_a_failing_one_leaves_it_open(
    services: Services, clock: MovableClock
) -> None:
    attempts: list[str] = []

    async def not_yet(services: Services, session: AsyncSession, promise: Promise) -> Result:
        attempts.append("not_yet")
        if len(attempts) == 1:
            return Result("nobody_yet", retry_at=services.now() + timedelta(minutes=30))
        if len(attempts) == 2:
            raise RuntimeError("the handler broke")
        return Result("told_staff")

    promises.register("test_retry", not_yet)
    async with services.sessions.begin() as session:
        promise = await promises.make(
            services,
            session,
            kind="test_retry",
            subject="retry:1",
            person_id=await kim(services),
            owner_id=None,
            due_at=services.now(),
        )
        promise_id = promise.id
    assert await promises.run_due(services) == 0
    waiting = await row(services, promise_id)
    assert waiting.closed_at is None and waiting.outcome == "nobody_yet"
    assert waiting.due_at - services.now() > timedelta(minutes=29)
    clock.advance(timedelta(minutes=31))
    assert await promises.run_due(services) == 0  # raised: still open, tried later
    failed = await row(services, promise_id)
    assert failed.closed_at is None and failed.outcome == "failed"
    clock.advance(promises.RETRY + timedelta(seconds=5))
    assert await promises.run_due(services) == 1
    assert (await row(services, promise_id)).outcome == "told_staff"
    assert attempts == ["not_yet", "not_yet", "not_yet"]


async def test_a_kind_without_a_handler_stays_open(services: Services) -> None:
    async with services.sessions.begin() as session:
        promise = await promises.make(
            services,
            session,
            kind="nobody_registered_this",
            subject="orphan:1",
            person_id=await kim(services),
            owner_id=None,
            due_at=services.now(),
        )
        promise_id = promise.id
    assert await promises.run_due(services) == 0
    orphan = await row(services, promise_id)
    assert orphan.closed_at is None and orphan.outcome == "no_handler"
