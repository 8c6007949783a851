"""The outbox: durable, idempotent queue of what the clock sends."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Insert, exists, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import LeaderTerm, OutboxMessage, OutboxStatus
from storage.repos import first

# Kinds that carry what a person wrote (a co-worker's message and its header, a staff
# member's answer) or a call for help: they never expire (``useful_until`` is ignored),
# so the sender can never drop a human message without anyone knowing.
NEVER_DROPPED = frozenset(
    {"relay_header", "relay_copy", "answer_label", "answer_copy", "help_request", "help_update"}
)
# Sent before the broadcast (see :func:`due`): the same kinds, a person's own words and
# calls for help.
FIRST = NEVER_DROPPED
TERM_ROW = 1  # leader_terms holds one row


@dataclass(frozen=True)
class NewMessage:
    """A message to queue (see :func:`enqueue`)."""

    key: str
    chat_id: int
    person_id: int | None
    kind: str
    payload: dict[str, Any]
    useful_until: datetime | None = None


async def enqueue(
    session: AsyncSession,
    *,
    key: str,
    chat_id: int,
    person_id: int | None,
    kind: str,
    payload: dict[str, Any],
    now: datetime,
    useful_until: datetime | None = None,
) -> bool:
    """Add a message unless one with ``key`` exists already. True if it was added."""
    values = _values(NewMessage(key, chat_id, person_id, kind, payload, useful_until), now)
    result = await session.execute(_insert_new(session).values(**values))
    return bool(getattr(result, "rowcount", 0))


async def enqueue_many(
    session: AsyncSession, messages: Sequence[NewMessage], now: datetime
) -> set[str]:
    """Add each message unless one with its key exists already, in the order given:
    one statement for them all, whatever their number. The keys of those added."""
    if not messages:
        return set()
    statement = _insert_new(session).returning(OutboxMessage.idempotency_key)
    added = await session.scalars(statement, [_values(m, now) for m in messages])
    return set(added)


def _insert_new(session: AsyncSession) -> Insert:
    """INSERT … ON CONFLICT (idempotency_key) DO NOTHING, in the session's dialect."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    return insert(OutboxMessage).on_conflict_do_nothing(index_elements=["idempotency_key"])


def _values(message: NewMessage, now: datetime) -> dict[str, Any]:
    return {
        "idempotency_key": message.key,
        "chat_id": message.chat_id,
        "person_id": message.person_id,
        "kind": message.kind,
        "payload": message.payload,
        "status": OutboxStatus.PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        # A human message never expires (see NEVER_DROPPED).
        "useful_until": None if message.kind in NEVER_DROPPED else message.useful_until,
        "created_at": now,
    }


_EARLIER = aliased(OutboxMessage, name="earlier")


async def due(session: AsyncSession, now: datetime, limit: int) -> list[OutboxMessage]:
    """Rows to send now: what people wrote and calls for help first (:data:`FIRST`), so
    they do not wait behind a morning's broadcast; then the rest, oldest first. For each
    chat only its oldest pending row, so a chat's messages go in the order they were
    queued, also when one waits for a retry or is in flight (its claim keeps it pending)."""
    earlier_pending = exists().where(
        _EARLIER.chat_id == OutboxMessage.chat_id,
        _EARLIER.status == OutboxStatus.PENDING,
        _EARLIER.id < OutboxMessage.id,
    )
    ready = (
        OutboxMessage.status == OutboxStatus.PENDING,
        OutboxMessage.next_attempt_at <= now,
        ~earlier_pending,
    )
    order = (OutboxMessage.next_attempt_at, OutboxMessage.id)
    first = list(
        await session.scalars(
            select(OutboxMessage)
            .where(*ready, OutboxMessage.kind.in_(FIRST))
            .order_by(*order)
            .limit(limit)
        )
    )
    rest = await session.scalars(
        select(OutboxMessage)
        .where(*ready, OutboxMessage.kind.not_in(FIRST))
        .order_by(*order)
        .limit(limit - len(first))
    ) if len(first) < limit else ()  # fmt: skip
    return first + list(rest)


async def claim(
    session: AsyncSession, row_id: int, *, now: datetime, lease_until: datetime, term: int | None
) -> bool:
    """Take a due row for one send: it is not due again until ``lease_until``, so no other
    sender takes it meanwhile (one that dies mid-send leaves it to be sent again after the
    lease). With ``term`` (PostgreSQL) the claim holds only while that term is the leader's
    in ``leader_terms``: a leader whose term has passed cannot claim, so cannot send. A row
    another sender is claiming at this moment is skipped (``SKIP LOCKED``), not waited for.
    True if this sender now holds the row."""
    conditions = [
        OutboxMessage.id == row_id,
        OutboxMessage.status == OutboxStatus.PENDING,
        OutboxMessage.next_attempt_at <= now,
    ]
    if term is not None:
        conditions.append(exists().where(LeaderTerm.id == TERM_ROW, LeaderTerm.term == term))
    if session.get_bind().dialect.name == "postgresql":
        free = (
            select(OutboxMessage.id)
            .where(OutboxMessage.id == row_id)
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        conditions.append(OutboxMessage.id == free)
    result = await session.execute(
        update(OutboxMessage)
        .where(*conditions)
        .values(next_attempt_at=lease_until, claimed_term=term)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0)) == 1


async def term_is_current(session: AsyncSession, term: int) -> bool:
    """Whether ``term`` is still the leader's (see :func:`claim`)."""
    found = await session.scalar(select(LeaderTerm.term).where(LeaderTerm.id == TERM_ROW))
    return found == term


async def by_key(session: AsyncSession, key: str) -> OutboxMessage | None:
    return await first(session, select(OutboxMessage).where(OutboxMessage.idempotency_key == key))


async def dead_letters(session: AsyncSession, limit: int) -> list[OutboxMessage]:
    """Messages given up on (or refused by Telegram), newest first."""
    return list(
        await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.DEAD)
            .order_by(OutboxMessage.id.desc())
            .limit(limit)
        )
    )


async def retry_dead(session: AsyncSession, ids: list[int] | None, now: datetime) -> int:
    """Put dead letters back in the queue (all of them when ``ids`` is None): they are
    sent again from the first attempt. Returns how many."""
    statement = (
        update(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.DEAD)
        .values(status=OutboxStatus.PENDING, attempts=0, next_attempt_at=now, last_error=None)
    )
    if ids is not None:
        statement = statement.where(OutboxMessage.id.in_(ids))
    result = await session.execute(statement)
    return int(getattr(result, "rowcount", 0))


async def counts_by_status(session: AsyncSession) -> dict[OutboxStatus, int]:
    rows = await session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    )
    return {status: count for status, count in rows.tuples()}
