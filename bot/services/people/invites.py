"""Invites: the only way into Vardag. A code is shown once and stored only as a hash."""

from __future__ import annotations

import enum
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.services.privacy import audit
from storage.models import Group, Invite, JoinAttempt, Person, Role
from storage.repos import invites as invite_repo
from storage.repos import organisation as org_repo
from storage.repos import people as people_repo

CODE_BYTES = 16  # 128 bits; base64url gives 22 characters, well inside Telegram's 64.
# Guessing is slowed down: after this many wrong codes in the window, every code is refused.
MAX_FAILED_JOINS = 5
FAILED_JOIN_WINDOW = timedelta(minutes=15)


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
    group_id: int | None = None,
    created_by: Person | None = None,
    contact_ids: tuple[int, int] | None = None,
) -> NewInvite:
    """A new person (not yet joined) and their invite. The group is named (and made if
    new, on the command line) or chosen by id from the existing ones (in chat).
    ``contact_ids``: a new co-worker's primary and secondary contact persons, chosen in
    the same conversation (two different support persons of the group; else ignored)."""
    now = services.now()
    group: Group | None = None
    if group_name:
        group = await people_repo.get_or_create_group(session, group_name, now)
    elif group_id is not None:
        group = await session.get(Group, group_id)
    person = await people_repo.add_person(
        session, name=name, role=role, now=now, language=services.settings.language, group=group
    )
    person.morning_time = services.settings.default_morning_time
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
    if contact_ids is not None and group is not None and role is Role.COWORKER:
        await _set_contacts(services, session, person, group, contact_ids, created_by)
    await audit.record(
        services,
        session,
        actor=created_by,
        subject=person,
        action="invite.create",
        detail=role.value,
    )
    return NewInvite(code=code, person=person, invite=invite)


async def _set_contacts(
    services: Services,
    session: AsyncSession,
    coworker: Person,
    group: Group,
    contact_ids: tuple[int, int],
    actor: Person | None,
) -> None:
    primary_id, secondary_id = contact_ids
    if primary_id == secondary_id:
        return
    for person_id in contact_ids:
        staff = await session.get(Person, person_id)
        if staff is None or staff.role is not Role.SUPPORT:
            return
        if not await org_repo.is_staff(session, group.id, person_id):
            return
    await org_repo.set_contacts(session, coworker.id, primary_id, secondary_id)
    await audit.record(services, session, actor=actor, subject=coworker, action="contacts.set")


class Refusal(enum.Enum):
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    REVOKED = "revoked"
    INACTIVE = "inactive"
    SLOWED = "slowed"


@dataclass(frozen=True)
class Redeemed:
    person: Person | None
    refusal: Refusal | None = None
    # The Telegram account was bound to a deactivated person before: that old record keeps
    # its history, is released from the account and stays deactivated.
    returning: bool = False


async def redeem(
    services: Services, session: AsyncSession, code: str, telegram_user_id: int
) -> Redeemed:
    """Bind the Telegram account to the invited person, once.

    A refusal is recorded (in the caller's transaction) so repeated guessing from
    one account is slowed down.
    """
    now = services.now()
    recent = await invite_repo.failed_joins_since(
        session, telegram_user_id, now - FAILED_JOIN_WINDOW
    )
    if recent >= MAX_FAILED_JOINS:
        return Redeemed(None, Refusal.SLOWED)
    result = await _redeem(session, code, telegram_user_id, now)
    if result.returning and result.person is not None:
        await audit.record(
            services, session, actor=None, subject=result.person, action="invite.rejoin"
        )
    if result.person is None:
        session.add(JoinAttempt(telegram_user_id=telegram_user_id, attempted_at=now))
    return result


async def _redeem(
    session: AsyncSession, code: str, telegram_user_id: int, now: datetime
) -> Redeemed:
    invite = await invite_repo.by_hash(session, hash_code(code.strip()))
    if invite is None:
        return Redeemed(None, Refusal.UNKNOWN)
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
    earlier = await people_repo.by_telegram_id(session, telegram_user_id)
    if earlier is not None and earlier.id != person.id:
        if earlier.active:  # one account, one active person (who is greeted, not invited)
            return Redeemed(None, Refusal.USED)
        earlier.telegram_user_id = None
        await session.flush()  # the account is free before it is bound again
    invite.used_at = now
    person.telegram_user_id = telegram_user_id
    person.unreachable = False
    await session.flush()
    return Redeemed(person, returning=earlier is not None and earlier.id != person.id)


async def revoke(services: Services, session: AsyncSession, invite_id: int) -> bool:
    """Revoke an open invite. False if there is no open invite with that id."""
    invite = await session.get(Invite, invite_id)
    if invite is None or invite.used_at or invite.revoked_at:
        return False
    invite.revoked_at = services.now()
    return True
