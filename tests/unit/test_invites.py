"""Invites: a code of 128 bits, stored only as a hash, single-use, expiring."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from bot.context import Services
from bot.rules.clock import MovableClock
from bot.services.people import invites
from storage.models import Invite, Person, Role


async def make_invite(services: Services, name: str = "Kim") -> invites.NewInvite:
    async with services.sessions.begin() as session:
        return await invites.create_invite(
            services, session, role=Role.COWORKER, name=name, group_name="Rutt 1"
        )


async def test_code_is_random_urlsafe_and_stored_only_as_hash(services: Services) -> None:
    first, second = await make_invite(services), await make_invite(services, "Sara")
    assert re.fullmatch(r"[A-Za-z0-9_-]{22}", first.code)
    assert first.code != second.code
    async with services.sessions() as session:
        stored = list(await session.scalars(select(Invite)))
    assert {row.code_hash for row in stored} == {
        invites.hash_code(first.code),
        invites.hash_code(second.code),
    }
    assert all(first.code not in row.code_hash for row in stored)


async def test_redeem_binds_the_account_once(services: Services) -> None:
    new = await make_invite(services)
    async with services.sessions.begin() as session:
        result = await invites.redeem(services, session, new.code, 5001)
    assert result.person is not None and result.person.display_name == "Kim"
    async with services.sessions.begin() as session:
        again = await invites.redeem(services, session, new.code, 6001)
    assert again.person is None and again.refusal is invites.Refusal.USED
    async with services.sessions() as session:
        kim = await session.get(Person, new.person.id)
    assert kim is not None and kim.telegram_user_id == 5001


async def test_unknown_and_expired_codes_are_refused(
    services: Services, clock: MovableClock
) -> None:
    new = await make_invite(services)
    async with services.sessions.begin() as session:
        unknown = await invites.redeem(services, session, "not-a-real-code", 5001)
    assert unknown.refusal is invites.Refusal.UNKNOWN
    clock.advance(timedelta(days=services.settings.invite_days, seconds=1))
    async with services.sessions.begin() as session:
        expired = await invites.redeem(services, session, new.code, 5001)
    assert expired.refusal is invites.Refusal.EXPIRED
    async with services.sessions() as session:
        kim = await session.get(Person, new.person.id)
    assert kim is not None and kim.telegram_user_id is None
