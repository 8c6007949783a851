"""A promise is a row: everything the system promises a person, and what happens if not met.

When Vardag tells a person that something will happen ("Din lista kommer klockan
08:30", "the list is waiting for you to approve it"), it makes a promise: a row in
``promises`` with a kind, the person it is owed to, the member of staff responsible
(the owner), a due time, and a subject that names it uniquely. Code that keeps the
promise says so; the tick job (``jobs/promises.py``) hands every promise that falls
due unkept to the handler registered for its kind, which does the next right thing
(sends it late, hands it to the person on duty, escalates, or tells the person kindly
what will happen instead) and says what it did. Nothing expires silently: a promise
is only closed as kept or with an outcome that names whom it told.

The API::

    register(kind, handler)                       # once, at import of the kind's module
    await make(services, session, kind=..., subject=..., person_id=..., owner_id=...,
               due_at=..., data={...}) -> Promise    # idempotent by subject
    await keep(services, session, subject) -> bool   # True if it was open
    await run_due(services) -> int                    # the tick: handlers of due promises

A handler is ``async def handler(services, session, promise) -> Result`` and runs in
the transaction that closes the row (so what it queues in the outbox and the outcome
are committed together). Its :class:`Result` is one of:

* ``Result("told_coworker")`` — the promise is closed with that outcome;
* ``Result("sent_late", kept=True)`` — it turned out to be kept after all;
* ``Result("nobody_yet", retry_at=moment)`` — nothing could be done now; the row
  stays open and falls due again at ``retry_at`` (the outcome notes why).

A handler that raises leaves the row open and is tried again after :data:`RETRY`.
The modules that register kinds are imported by ``jobs/promises.py`` (:data:`KIND_MODULES`
there), so a kind is known wherever the job runs.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from storage.models import Promise
from storage.repos import promises as repo

log = logging.getLogger(__name__)

RETRY = timedelta(minutes=5)  # after a handler failed, or for a kind not registered
BATCH = 200


@dataclass(frozen=True)
class Result:
    outcome: str
    kept: bool = False
    retry_at: datetime | None = None


Handler = Callable[[Services, AsyncSession, Promise], Awaitable[Result]]
_handlers: dict[str, Handler] = {}


def register(kind: str, handler: Handler) -> None:
    """The handler for promises of ``kind`` that fall due unkept (the last one wins)."""
    _handlers[kind] = handler


def registered(kind: str) -> bool:
    return kind in _handlers


async def make(
    services: Services,
    session: AsyncSession,
    *,
    kind: str,
    subject: str,
    person_id: int,
    owner_id: int | None,
    due_at: datetime,
    data: dict[str, Any] | None = None,
) -> Promise:
    """Make a promise to ``person_id``, due at ``due_at``. Making one with a ``subject``
    that exists already changes nothing and returns the existing row."""
    return await repo.add(
        session,
        kind=kind,
        subject=subject,
        person_id=person_id,
        owner_id=owner_id,
        due_at=due_at,
        data=data or {},
        now=services.now(),
    )


async def keep(services: Services, session: AsyncSession, subject: str) -> bool:
    """The promise was kept (now). False if there is none open with that subject."""
    promise = await repo.by_subject(session, subject)
    if promise is None or promise.closed_at is not None:
        return False
    now = services.now()
    promise.kept_at = promise.closed_at = now
    promise.outcome = "kept"
    return True


async def run_due(services: Services) -> int:
    """Hand each promise due and unkept to its kind's handler; how many were closed."""
    closed = 0
    async with services.sessions() as session:
        ids = await repo.due_ids(session, services.now(), BATCH)
    for promise_id in ids:
        try:
            closed += await _run_one(services, promise_id)
        except Exception:
            log.exception("promise %s: its handler failed; tried again later", promise_id)
            await _later(services, promise_id, "failed")
    return closed


async def _run_one(services: Services, promise_id: int) -> int:
    async with services.sessions.begin() as session:
        promise = await repo.open_one(session, promise_id)
        if promise is None:
            return 0
        now = services.now()
        handler = _handlers.get(promise.kind)
        promise.attempts += 1
        if handler is None:
            log.error("promise %s: no handler for kind %r", promise.id, promise.kind)
            promise.outcome, promise.due_at = "no_handler", now + RETRY
            return 0
        result = await handler(services, session, promise)
        promise.outcome = result.outcome
        if result.retry_at is not None and not result.kept:
            promise.due_at = max(result.retry_at, now + timedelta(seconds=1))
            return 0
        if result.kept:
            promise.kept_at = now
        promise.closed_at = now
        log.info("promise %s (%s): %s", promise.id, promise.kind, result.outcome)
        return 1


async def _later(services: Services, promise_id: int, outcome: str) -> None:
    async with services.sessions.begin() as session:
        promise = await repo.open_one(session, promise_id)
        if promise is not None:
            promise.outcome, promise.due_at = outcome, services.now() + RETRY
