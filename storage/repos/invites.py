"""Queries about invites (stored by the hash of their code only) and failed joins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Invite, JoinAttempt, Person
from storage.repos import first


async def by_hash(session: AsyncSession, code_hash: str) -> Invite | None:
    return await first(session, select(Invite).where(Invite.code_hash == code_hash))


async def open_invites(session: AsyncSession, now: datetime) -> list[tuple[Invite, Person]]:
    rows = await session.execute(
        select(Invite, Person)
        .join(Person, Person.id == Invite.person_id)
        .where(Invite.used_at.is_(None), Invite.revoked_at.is_(None), Invite.expires_at > now)
        .order_by(Invite.created_at)
    )
    return [(invite, person) for invite, person in rows.tuples()]


async def failed_joins_since(session: AsyncSession, telegram_user_id: int, since: datetime) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(JoinAttempt)
        .where(JoinAttempt.telegram_user_id == telegram_user_id, JoinAttempt.attempted_at >= since)
    )
    return int(count or 0)
