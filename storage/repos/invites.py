"""Queries about invites (stored by the hash of their code only)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Invite
from storage.repos import first


async def by_hash(session: AsyncSession, code_hash: str) -> Invite | None:
    return await first(session, select(Invite).where(Invite.code_hash == code_hash))
