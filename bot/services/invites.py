"""Invites: the only way into Vardag. A code is shown once and stored only as a hash."""

from __future__ import annotations

import enum
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.context import Services
from storage.models import Invite, Person, Role
from storage.repos import invites as invite_repo
from storage.repos import people as people_repo

CODE_BYTES = 16  # 128 bits; base64url gives 22 characters, well inside Telegram's 64.


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


@dataclass(frozen=True)
class NewInvite:
    code: str
    person: Person
    invite: Invite


async def create_invite(
    services: Services,
    session: AsyncSession,
    *,
    role: Role,
    name: str,
    group_name: str | None = None,
    created_by: Person | None = None,
) -> NewInvite:
    now = services.now()
    group = await people_repo.get_or_create_group(session, group_name, now) if group_name else None
    person = await people_repo.add_person(
        session, name=name, role=role, now=now, language=services.settings.language, group=group
    )
    code = secrets.token_urlsafe(CODE_BYTES)
    invite = Invite(
        code_hash=hash_code(code),
        role=role,
        person_id=person.id,
        created_by_id=created_by.id if created_by else None,
        created_at=now,
        expires_at=now + timedelta(days=services.settings.invite_days),
    )
    session.add(invite)
    await session.flush()
    return NewInvite(code=code, person=person, invite=invite)


class Refusal(enum.Enum):
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    REVOKED = "revoked"
    INACTIVE = "inactive"


@dataclass(frozen=True)
class Redeemed:
    person: Person | None
    refusal: Refusal | None = None


async def redeem(
    services: Services, session: AsyncSession, code: str, telegram_user_id: int
) -> Redeemed:
    """Bind the Telegram account to the invited person, once."""
    invite = await invite_repo.by_hash(session, hash_code(code.strip()))
    if invite is None:
        return Redeemed(None, Refusal.UNKNOWN)
    now = services.now()
    refusal = (
        Refusal.REVOKED
        if invite.revoked_at
        else Refusal.USED
        if invite.used_at
        else Refusal.EXPIRED
        if invite.expires_at <= now
        else None
    )
    if refusal:
        return Redeemed(None, refusal)
    person = await session.get(Person, invite.person_id)
    if person is None or not person.active:
        return Redeemed(None, Refusal.INACTIVE)
    invite.used_at = now
    person.telegram_user_id = telegram_user_id
    person.unreachable = False
    await session.flush()
    return Redeemed(person)
