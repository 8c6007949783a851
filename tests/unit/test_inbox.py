"""The inbox (storage/repos/inbox.py): a repeated update is stored once; a chat's updates
are taken one at a time, in order, by one holder; a lease that runs out lets another
take it, and one kept renewed does not; what was processed is forgotten after a day."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest

from bot.context import Services
from bot.rules.clock import MovableClock
from bot.runtime.intake_lease import Renewal
from bot.telegram import intake_scope
from storage.models import InboxUpdate
from storage.repos import inbox as inbox_repo
from storage.repos.inbox import Finished

LEASE = timedelta(seconds=30)


async def test_a_repeated_update_is_stored_once_and_forgotten_a_day_after_it_was_done(
    services: Services,
) -> None:
    now = services.now()
    async with services.sessions.begin() as session:
        assert await inbox_repo.store(session, 41, 7, {"update_id": 41}, now)
        assert not await inbox_repo.store(session, 41, 7, {"update_id": 41}, now)
        assert await inbox_repo.store(session, 42, 8, {"update_id": 42}, now)
        taken = await inbox_repo.claim_next(session, 7, "a", now, LEASE)
        assert taken is not None and taken.update_id == 41
        assert await inbox_repo.finish(session, 41, "a", now, "done") == Finished(True, False)
    async with services.sessions.begin() as session:
        assert await inbox_repo.purge_before(session, now + timedelta(days=1)) == 1
        assert await inbox_repo.count_open(session) == 1  # 42 is not done: kept
    async with services.sessions.begin() as session:
        assert await inbox_repo.store(session, 41, 7, {"update_id": 41}, now)  # new again


async def test_an_update_is_taken_as_it_is_stored_only_when_its_chat_has_nothing_open(
    services: Services,
) -> None:
    now = services.now()
    async with services.sessions.begin() as session:
        first = await inbox_repo.store_and_take(session, 60, 7, {"update_id": 60}, now, "a", LEASE)
        again = await inbox_repo.store_and_take(session, 60, 7, {"update_id": 60}, now, "b", LEASE)
        second = await inbox_repo.store_and_take(session, 61, 7, {"update_id": 61}, now, "a", LEASE)
        other = await inbox_repo.store_and_take(session, 70, 8, {"update_id": 70}, now, "a", LEASE)
    assert first == inbox_repo.Kept(new=True, taken=True)
    assert again == inbox_repo.Kept(new=False, taken=False)  # a repeated delivery
    assert second == inbox_repo.Kept(new=True, taken=False)  # 60 is open: 61 waits
    assert other == inbox_repo.Kept(new=True, taken=True)  # another chat
    async with services.sessions() as session:
        rows = {n: await session.get(InboxUpdate, n) for n in (60, 61, 70)}
    held = {n: (r.lease_token, r.lease_until, r.attempts) for n, r in rows.items() if r}
    assert held == {
        60: ("a", now + LEASE, 1),  # taken once, by the first to store it
        61: (None, None, 0),
        70: ("a", now + LEASE, 1),
    }
    async with services.sessions.begin() as session:
        assert await inbox_repo.claim_next(session, 7, "b", now, LEASE) is None  # 60 is held
        assert (await inbox_repo.finish(session, 60, "a", now, "done")).more
        following = await inbox_repo.claim_next(session, 7, "a", now, LEASE)
    assert following is not None and (following.update_id, following.attempts) == (61, 1)


async def test_two_instances_storing_a_chats_updates_at_once_take_only_the_first(
    services: Services,
) -> None:
    """The second waits for the first's transaction (on PostgreSQL, the chat's lock; on
    SQLite, the write lock), then sees its update open: it stores, and does not take."""
    now = services.now()
    first_stored = asyncio.Event()

    async def second_instance() -> inbox_repo.Kept:
        await first_stored.wait()
        async with services.sessions.begin() as session:
            return await inbox_repo.store_and_take(
                session, 81, 7, {"update_id": 81}, now, "b", LEASE
            )

    second = asyncio.create_task(second_instance())
    async with services.sessions.begin() as session:
        first = await inbox_repo.store_and_take(session, 80, 7, {"update_id": 80}, now, "a", LEASE)
        first_stored.set()
        await asyncio.sleep(0.3)  # the second instance is storing meanwhile
        assert not second.done()  # it waits for this transaction
    assert first == inbox_repo.Kept(new=True, taken=True)
    assert await second == inbox_repo.Kept(new=True, taken=False)


async def test_a_chat_is_taken_in_order_by_one_holder_until_its_lease_runs_out(
    services: Services,
) -> None:
    now = services.now()
    async with services.sessions.begin() as session:
        for update_id in (12, 10, 11):
            await inbox_repo.store(session, update_id, 7, {"update_id": update_id}, now)
        await inbox_repo.store(session, 20, 8, {"update_id": 20}, now)
    async with services.sessions.begin() as session:
        first = await inbox_repo.claim_next(session, 7, "a", now, LEASE)
        assert first is not None and (first.update_id, first.attempts) == (10, 1)
        assert await inbox_repo.claim_next(session, 7, "b", now, LEASE) is None  # held
        other = await inbox_repo.claim_next(session, 8, "b", now, LEASE)  # another chat
        assert other is not None and other.update_id == 20
        assert sorted(await inbox_repo.open_lanes(session, now)) == []
    later = now + LEASE + timedelta(seconds=1)  # "a" died: its lease ran out
    async with services.sessions.begin() as session:
        assert sorted(await inbox_repo.open_lanes(session, later)) == [7, 8]
        again = await inbox_repo.claim_next(session, 7, "b", later, LEASE)
        assert again is not None and (again.update_id, again.attempts) == (10, 2)
        not_mine = await inbox_repo.finish(session, 10, "a", later, "done")  # not a's now
        assert not_mine == Finished(mine=False, more=False)
        # 11 and 12 are still open in the chat: the finishing transaction takes the next
        assert await inbox_repo.finish(session, 10, "b", later, "done") == Finished(True, True)
        following = await inbox_repo.claim_next(session, 7, "b", later, LEASE)
        assert following is not None and following.update_id == 11
        await inbox_repo.retry_at(session, 11, "b", later + timedelta(seconds=5))
        assert await inbox_repo.claim_next(session, 7, "b", later, LEASE) is None  # waits
        retried = await inbox_repo.claim_next(session, 7, "b", later + timedelta(seconds=6), LEASE)
        assert retried is not None and retried.update_id == 11


async def test_a_processed_update_keeps_only_its_id_not_what_the_person_wrote(
    services: Services,
) -> None:
    now = services.now()
    words = {"update_id": 43, "message": {"text": "Jag mår inte bra idag"}}
    async with services.sessions.begin() as session:
        assert await inbox_repo.store(session, 43, 9, words, now)
        assert await inbox_repo.claim_next(session, 9, "a", now, LEASE) is not None
        assert (await inbox_repo.finish(session, 43, "a", now, "done")).mine
    async with services.sessions() as session:
        row = await session.get(InboxUpdate, 43)
        assert row is not None and row.processed_at is not None and row.payload == {}
        assert not await inbox_repo.store(session, 43, 9, words, now)  # still taken once


async def test_a_slow_updates_lease_is_renewed_until_it_is_done(
    services: Services, clock: MovableClock
) -> None:
    lease = timedelta(seconds=0.3)  # renewed every 0.1 s of real time
    now = services.now()
    async with services.sessions.begin() as session:
        await inbox_repo.store(session, 50, 9, {"update_id": 50}, now)
        assert await inbox_repo.claim_next(session, 9, "a", now, lease) is not None

    async def lease_until() -> datetime:
        async with services.sessions() as session:
            row = await session.get(InboxUpdate, 50)
        assert row is not None and row.lease_until is not None
        return row.lease_until

    renewal = Renewal(services, 50, "a", lease)
    clock.advance(timedelta(minutes=5))  # still being processed, much later
    later = clock.now()
    async with asyncio.timeout(5):
        while await lease_until() < later + lease:  # noqa: ASYNC110
            await asyncio.sleep(0.02)
    renewal.stop()
    renewed = await lease_until()
    clock.advance(timedelta(minutes=5))
    await asyncio.sleep(0.35)  # three times the renewal's interval: none once stopped
    assert await lease_until() == renewed
    async with services.sessions.begin() as session:  # nobody else could take it meanwhile
        assert await inbox_repo.claim_next(session, 9, "b", renewed - lease, lease) is None


async def test_an_update_is_taken_for_the_first_lease_and_renewed_to_the_whole_lease(
    services: Services, clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(intake_scope, "FIRST_LEASE", timedelta(seconds=0.3))
    lease = timedelta(seconds=60)
    now = services.now()
    async with services.sessions.begin() as session:
        await inbox_repo.store(session, 51, 9, {"update_id": 51}, now)
        taken = await inbox_repo.claim_next(session, 9, "a", now, intake_scope.first_lease(lease))
        assert taken is not None
    async with services.sessions() as session:
        row = await session.get(InboxUpdate, 51)
        assert row is not None and row.lease_until == now + timedelta(seconds=0.3)

    renewal = Renewal(services, 51, "a", lease)  # rings after a third of the first lease
    try:
        async with asyncio.timeout(5):
            while True:
                async with services.sessions() as session:
                    row = await session.get(InboxUpdate, 51)
                assert row is not None and row.lease_until is not None
                if row.lease_until >= now + lease:
                    break
                await asyncio.sleep(0.02)
    finally:
        renewal.stop()
