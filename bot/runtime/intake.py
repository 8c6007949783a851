"""Durable intake: every update is stored in the inbox (``inbox_updates``) before it is
acknowledged to Telegram, then processed from there, so an instance that dies after the
acknowledgement loses nothing, and a repeated delivery is taken once.

Each chat is a *lane*: its updates are processed one at a time, in order, by whichever
instance holds the lane's oldest open update (a lease in the database); different chats
are processed concurrently, at most ``update_concurrency`` at once per instance. An
update whose chat is idle here is taken in the transaction that stores it, the chat's
next one in the transaction that marks this one done. Open updates nobody holds (left by
an instance that stopped, or due to be tried again) are picked up at start and on every
sweep. See docs/delivery.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Chat, Update

from bot.context import Services
from bot.logs import UPDATE_ID
from bot.runtime.intake_lease import (
    Renewal,
    give_back,
    record_done,
    release,
    tell_given_up,
    what_doors_need,
)
from bot.telegram.answering import PressClocks
from bot.telegram.chat_state import CURRENT, ChatState
from bot.telegram.intake_scope import SCOPE, Scope, Taken, first_lease, lane_of
from storage.repos import inbox as inbox_repo

log = logging.getLogger(__name__)

Stored = tuple[dict[str, Any], Update, int]  # what Telegram sent, read, and its lane

# An update whose processing did not get past the repeated-update check (or whose
# instance died while processing it) this often is given up, with a warning, and its
# sender told that it did not go through.
MAX_ATTEMPTS = 5
MAX_RETRY_SECONDS = 60.0
STOP_WAIT_SECONDS = 10.0
FINISH_TRIES = (0.2, 1.0, 3.0)
MAX_PARSED = 1000  # waits between tries to mark an update done


class Intake:
    """Stores updates, and processes each chat's in order through the Application."""

    def __init__(self, application: Any, services: Services) -> None:
        self._application = application
        self._services = services
        self._token = secrets.token_hex(8)
        settings = services.settings
        self._lease = timedelta(seconds=settings.update_lease_seconds)
        self._concurrency = settings.update_concurrency
        self._slots = asyncio.Semaphore(self._concurrency)
        self._lanes: dict[int, asyncio.Task[None]] = {}
        self._again: set[int] = set()
        self._parsed: dict[int, Update] = {}  # stored here, not yet taken
        self._unstored: set[asyncio.Task[None]] = set()  # updates from chats not private
        self._unstored_turn = asyncio.Lock()  # ... answered in the order they came
        self._presses = PressClocks(
            application.bot, settings.press_answer_seconds, settings.update_lease_seconds
        )
        self._sweeper: asyncio.Task[None] | None = None
        self._stopping = False
        self.sweep_seconds = max(0.5, min(5.0, settings.update_lease_seconds / 4))

    @property
    def presses(self) -> PressClocks:
        return self._presses

    @property
    def processing(self) -> int:
        """How many chats this instance is processing (or about to) now."""
        return sum(not task.done() for task in self._lanes.values())

    # --- taking updates in ---------------------------------------------------------------

    def parse(self, payload: object) -> Update:
        """The update in ``payload``; ValueError when it is not one."""
        if not isinstance(payload, dict) or not isinstance(payload.get("update_id"), int):
            raise ValueError("not an update")
        try:
            update = Update.de_json(payload, self._application.bot)
        except Exception as exc:
            raise ValueError("not an update") from exc
        return update

    async def receive(self, payload: dict[str, Any], update: Update | None = None) -> bool:
        """Store the update (committed when this returns), then process it soon. False
        for one stored before (a repeated delivery). Database errors are raised: the
        update must then not be acknowledged."""
        (new,) = await self.receive_all([(payload, update or self.parse(payload))])
        return new

    async def receive_all(self, received: list[tuple[dict[str, Any], Update]]) -> list[bool]:
        """As :meth:`receive`, for several updates (a batch fetched by polling) in one
        transaction: all are stored when this returns, or none."""
        stored: list[Stored] = []
        unstored: list[Update] = []
        for payload, update in received:
            chat = update.effective_chat
            if chat is not None and chat.type != Chat.PRIVATE:
                # Vardag keeps nothing from a chat that is not private: the first door
                # (handlers/private_only.py) gives its neutral answer at once, unstored.
                unstored.append(update)
                continue
            if update.callback_query is not None:  # counted from its arrival
                self._presses.start(update.callback_query.id)
            stored.append((payload, update, lane_of(update)))
        news, taken, given_up = await self._store_and_take(stored) if stored else ({}, {}, [])
        for update in unstored:  # once the others are stored: a batch may be tried again
            task = asyncio.create_task(self._unstored_in_order(update))
            self._unstored.add(task)
            task.add_done_callback(self._unstored.discard)
        for _, update, _ in stored:
            if not news[update.update_id]:
                log.info("update %s was delivered again; skipped", update.update_id)
        await self._start_taken(taken)
        for lane in {lane for _, _, lane in stored} - taken.keys():
            self.wake(lane)
        await tell_given_up(self._application.bot, self._services, given_up)
        return [news.get(update.update_id, True) for _, update in received]

    async def _store_and_take(
        self, stored: list[Stored]
    ) -> tuple[dict[int, bool], dict[int, Taken], list[Update]]:
        """Store the updates (whether each is new) and, in the same transaction, take the
        next update of each lane this instance can begin at once: nearly always the one
        just stored, in the statement that stores it (its lane had no other open update).
        Also those given up as they were taken."""
        news: dict[int, bool] = {}
        taken: dict[int, Taken] = {}
        given_up: list[Update] = []
        idle = self._idle_lanes(stored)
        untaken: list[int] = []  # idle, but an older update of the lane is open
        async with self._services.sessions.begin() as session:
            now = self._services.now()
            for payload, update, lane in stored:
                if lane in idle and lane not in taken and lane not in untaken:
                    kept = await inbox_repo.store_and_take(
                        session, update.update_id, lane, payload, now,
                        self._token, first_lease(self._lease),
                    )  # fmt: skip
                    news[update.update_id] = kept.new
                    if kept.taken:
                        claimed = inbox_repo.Claimed(update.update_id, lane, payload, 1)
                        taken[lane] = await self._taken(session, claimed, update, now)
                        continue
                    untaken.append(lane)
                else:
                    news[update.update_id] = await inbox_repo.store(
                        session, update.update_id, lane, payload, now
                    )
                if news[update.update_id]:
                    self._keep_parsed(update)
            for lane in untaken:
                found = await self._take_in(session, lane, given_up)
                if found is not None:
                    taken[lane] = found
        return news, taken, given_up

    def _keep_parsed(self, update: Update) -> None:
        """Keep the update as read, for when this instance takes it (most are taken here;
        those taken elsewhere are forgotten in time)."""
        if len(self._parsed) >= MAX_PARSED:
            self._parsed.clear()
        self._parsed[update.update_id] = update

    def _idle_lanes(self, stored: list[Stored]) -> list[int]:
        """The lanes of ``stored`` that this instance could begin at once: not being
        processed here, as many as it has room for."""
        room = self._concurrency - self.processing
        idle: list[int] = []
        for _, _, lane in stored:
            task = self._lanes.get(lane)
            busy = task is not None and not task.done()
            if len(idle) < room and not busy and lane not in idle and not self._stopping:
                idle.append(lane)
        return idle

    async def _start_taken(self, taken: dict[int, Taken]) -> None:
        """Begin the lanes whose next update was taken as it was stored; when a stop has
        begun meanwhile, give those updates back at once for the next instance."""
        for lane, found in taken.items():
            if self._stopping:
                await release(self._services, found.claimed, self._token)
            else:
                self._begin(lane, found)

    # --- processing -----------------------------------------------------------------------

    async def _unstored_in_order(self, update: Update) -> None:
        async with self._unstored_turn:
            await self._application.process_update(update)

    async def start(self) -> None:
        """Pick up what is open now, and again on every sweep."""
        self._stopping = False
        self._sweeper = asyncio.create_task(self._sweep_forever(), name="vardag-inbox-sweep")

    async def stop(self) -> None:
        """Stop taking new work; let what is being processed finish (for a while)."""
        self._stopping = True
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
            self._sweeper = None
        self._presses.stop_all()
        if self._unstored:  # neutral lines for chats that are not private
            await asyncio.wait(self._unstored, timeout=STOP_WAIT_SECONDS)
        running = [task for task in self._lanes.values() if not task.done()]
        if running:
            _, late = await asyncio.wait(running, timeout=STOP_WAIT_SECONDS)
            for task in late:  # its lease runs out; another instance takes it again
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)

    async def sweep(self) -> int:
        """Wake every lane with an open update nobody holds; how many."""
        async with self._services.sessions() as session:
            lanes = await inbox_repo.open_lanes(session, self._services.now())
        for lane in lanes:
            self.wake(lane)
        return len(lanes)

    def wake(self, lane: int) -> None:
        if self._stopping:
            return
        task = self._lanes.get(lane)
        if task is not None and not task.done():
            self._again.add(lane)  # it looks once more before it ends
            return
        self._begin(lane, None)

    def _begin(self, lane: int, taken: Taken | None) -> None:
        self._lanes[lane] = asyncio.create_task(
            self._drain(lane, taken), name=f"vardag-lane-{lane}"
        )

    async def _sweep_forever(self) -> None:
        while True:
            try:
                await self.sweep()
            except Exception as exc:  # the database is away: try on the next sweep
                log.warning("could not look for open updates: %s", type(exc).__name__)
            await asyncio.sleep(self.sweep_seconds)

    async def _drain(self, lane: int, taken: Taken | None) -> None:
        """Process the lane's updates in order, beginning with ``taken`` when one was
        taken as it was stored (processed also when a stop has begun: it is held)."""
        try:
            while taken is not None or not self._stopping:
                self._again.discard(lane)
                async with self._slots:
                    if taken is None:
                        try:
                            taken = await self._take(lane)
                        except Exception as exc:  # the sweep wakes the lane again
                            log.warning("could not take an update: %s", type(exc).__name__)
                            return
                    while taken is not None:  # the next is taken as this one is done
                        taken = await self._process(taken)
                if lane not in self._again:
                    return
        finally:
            if self._lanes.get(lane) is asyncio.current_task():
                del self._lanes[lane]

    async def _take(self, lane: int) -> Taken | None:
        given_up: list[Update] = []
        try:
            async with self._services.sessions.begin() as session:
                return await self._take_in(session, lane, given_up)
        finally:
            await tell_given_up(self._application.bot, self._services, given_up)

    async def _take_in(
        self, session: AsyncSession, lane: int, given_up: list[Update]
    ) -> Taken | None:
        """The lane's next update, leased to this instance in ``session``, with its chat's
        conversation state and its sender: what the first doors need, in the transaction
        that takes it. An update tried too often is given up (its sender told, later)."""
        now = self._services.now()
        while True:
            claimed = await inbox_repo.claim_next(
                session, lane, self._token, now, first_lease(self._lease)
            )
            if claimed is None:
                return None
            update = self._parsed.pop(claimed.update_id, None) or Update.de_json(
                claimed.payload, self._application.bot
            )
            if claimed.attempts <= MAX_ATTEMPTS:
                break
            log.warning("update %s given up after %s tries", update.update_id, MAX_ATTEMPTS)
            await inbox_repo.finish(session, update.update_id, self._token, now, "given_up")
            given_up.append(update)
        return await self._taken(session, claimed, update, now)

    async def _taken(
        self, session: AsyncSession, claimed: inbox_repo.Claimed, update: Update, now: datetime
    ) -> Taken:
        state, asking = await what_doors_need(session, update, now)
        return Taken(claimed, update, state, asking, time.monotonic())

    async def _process(self, taken: Taken) -> Taken | None:
        """Process the update; the lane's next one, taken in the transaction that marks
        this one done (None when there is none, or this one was given back)."""
        claimed, update, state = taken.claimed, taken.update, taken.state
        scope = Scope(claimed.update_id, self._token, taken_at=taken.at, asking=taken.asking)
        renewing = Renewal(self._services, claimed.update_id, self._token, self._lease)
        query = update.callback_query
        if query is not None:
            self._presses.start(query.id)
        tokens = (SCOPE.set(scope), CURRENT.set(state), UPDATE_ID.set(claimed.update_id))
        try:
            await self._application.process_update(update)
        except Exception as exc:  # not a door's error (those go to the error handler)
            log.error("update %s could not be processed: %s", claimed.update_id, type(exc).__name__)
            scope.failed = True
        finally:
            renewing.stop()
            if query is not None:
                self._presses.stop(query.id)
            UPDATE_ID.reset(tokens[2])
            CURRENT.reset(tokens[1])
            SCOPE.reset(tokens[0])
        if scope.failed:
            await give_back(self._services, claimed, self._token, MAX_RETRY_SECONDS)
            return None
        return await self._finish(claimed, "error" if scope.errors else "done", state)

    async def _finish(
        self, claimed: inbox_repo.Claimed, outcome: str, state: ChatState | None
    ) -> Taken | None:
        """Mark the update done, with the conversation state it left, and take the lane's
        next update (when it has one), in one transaction."""
        for wait in (*FINISH_TRIES, None):
            given_up: list[Update] = []
            try:
                async with self._services.sessions.begin() as session:
                    now = self._services.now()
                    done = await record_done(session, claimed, self._token, now, outcome, state)
                    following = None
                    if done.more and not self._stopping:
                        following = await self._take_in(session, claimed.lane, given_up)
                await tell_given_up(self._application.bot, self._services, given_up)
                if not done.mine:
                    log.warning("update %s was taken over before it was done", claimed.update_id)
                return following
            except Exception as exc:
                if wait is None:
                    log.error(
                        "update %s done, but not recorded (%s); it will be taken again",
                        claimed.update_id,
                        type(exc).__name__,
                    )
                    return None
                await asyncio.sleep(wait)
        return None


def intake_of(application: Any) -> Intake:
    return cast(Intake, application.bot_data["intake"])
