"""The one sender that drains the outbox into Telegram.

Each row is claimed just before its send (a lease of ``send_timeout`` plus a margin,
for the leader's term on PostgreSQL: storage/repos/outbox.py), sent outside any
database transaction, and its outcome written right after. Telegram's answers decide
what happens next: 429 waits ``retry_after``; 5xx and time-outs back off and try
again up to a limit; 403 means the person blocked the bot; 400 will never succeed.
Nothing is dropped without a record (bot/outbox/outcome.py writes what became of a send).

A send that times out may have reached the person (Telegram took it, the answer was
slow): it counts as "maybe sent" and is tried again, so it can arrive twice. To make
that rare, a send waits up to ``VARDAG_OUTBOX_SEND_TIMEOUT`` (20 s) for Telegram's
answer instead of python-telegram-bot's 5 s; a slow but working Telegram is waited
for.

Pace: every send takes a token from the bot's :class:`~bot.outbox.pace.Pace` (about 30 a
second, adapting to 429s), which people's own calls draw on first. Several sends are in
flight at once, as many as that pace needs against Telegram's round trip and at most
``VARDAG_OUTBOX_IN_FLIGHT``, each for a different chat (bot/outbox/window.py); against a
quick Telegram that is one, so a crash leaves at most one message sent but not recorded.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Mapping
from datetime import timedelta

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.context import Services
from bot.outbox import outcome
from bot.outbox.delivery import send_payload
from bot.outbox.outcome import OnBlocked, OnSent
from bot.outbox.pace import BROADCAST, Pace, retry_seconds
from bot.outbox.window import SendWindow
from storage.models import OutboxMessage, OutboxStatus
from storage.repos import outbox as outbox_repo

log = logging.getLogger(__name__)

PER_CHAT_INTERVAL = 1.0  # Telegram: about one message a second to the same chat.
WAIT_FOR_A_CHAT = 0.1  # every due row is for a chat written to a moment ago
LEASE_MARGIN_SECONDS = 5.0  # a claim outlives its send's time-out by this much
TAKEOVER_GRACE_SECONDS = 3.0  # a new leader leaves an earlier term's rows this long


class OutboxSender:
    def __init__(
        self,
        services: Services,
        bot: Bot,
        on_sent: Mapping[str, OnSent],
        pace: Pace | None = None,
        most_in_flight: int | None = None,
        *,
        on_blocked: OnBlocked,
    ) -> None:
        self._services = services
        self._bot = bot
        self._on_sent = on_sent
        self._on_blocked = on_blocked
        self._last_send: dict[int, float] = {}
        self._lock = asyncio.Lock()
        self._pace = pace or Pace(services.settings.telegram_rate)
        self._window = SendWindow(most_in_flight or services.settings.outbox_in_flight)
        self._fenced = False
        self._term: int | None = None
        self._led_since = 0.0  # time.monotonic() when this sender's term began

    @property
    def pace(self) -> Pace:
        return self._pace

    @property
    def window(self) -> SendWindow:
        return self._window

    @property
    def busy(self) -> bool:
        return self._lock.locked()

    def fence(self) -> None:
        """Several instances (PostgreSQL): send only while leading, each claim for the
        leader's term (see :meth:`lead`)."""
        self._fenced = True

    def lead(self, term: int | None) -> None:
        if term != self._term:
            self._led_since = time.monotonic()
        self._term = term

    def stand_down(self) -> None:
        """Claim nothing more from now on; a send in flight ends within its time-out."""
        self._term = None

    @property
    def may_send(self) -> bool:
        return not self._fenced or self._term is not None

    async def stopped(self, seconds: float) -> None:
        """Wait (at most ``seconds``) until no drain is running."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                async with self._lock:
                    pass

    async def drain(self, budget_seconds: float | None = None) -> int:
        """Send what is due until nothing is due or ``budget_seconds`` have passed, at the
        pace's rate, with the window's sends in flight. Returns how many messages
        Telegram accepted.

        Only a chat's oldest pending message is due (storage/repos/outbox.py), so a
        chat's messages keep their order; a chat written to less than a second ago is
        passed over for now, so one chat never holds up the others.
        """
        deadline = None if budget_seconds is None else time.monotonic() + budget_seconds
        window = self._window
        accepted_before = window.accepted
        async with self._lock:
            try:
                while self._may_go_on(deadline):
                    rows = await self._due()
                    fresh = [
                        row for row in rows
                        if row.chat_id not in window and not self._recently_sent(row.chat_id)
                        and not self._inherited(row)
                    ]  # fmt: skip
                    if fresh:
                        await self._dispatch(fresh, deadline)
                    elif window.busy:
                        await window.one_done()
                    elif rows:
                        await asyncio.sleep(WAIT_FOR_A_CHAT)  # only chats written to just now
                    else:
                        break
            finally:
                await window.settle()
        return window.accepted - accepted_before

    def _inherited(self, row: OutboxMessage) -> bool:
        """A row an earlier term claimed, and this sender has just begun to lead: left
        for a moment, for the old sender to record it if it was sent."""
        return (
            self._fenced
            and row.claimed_term is not None
            and row.claimed_term != self._term
            and time.monotonic() - self._led_since < TAKEOVER_GRACE_SECONDS
        )

    def _may_go_on(self, deadline: float | None) -> bool:
        return self.may_send and (deadline is None or time.monotonic() < deadline)

    async def _due(self) -> list[OutboxMessage]:
        self._forget_old_sends()
        limit = self._services.settings.outbox_batch + len(self._last_send)
        async with self._services.sessions.begin() as session:
            return await outbox_repo.due(session, self._services.now(), limit)

    async def _dispatch(self, rows: list[OutboxMessage], deadline: float | None) -> None:
        """Start a send for each row (each a different chat), as the pace and window allow."""
        window = self._window
        for row in rows:
            if self._expired(row):
                dropped = OutboxStatus.DROPPED
                await outcome.finish(self._services, row.id, dropped, "no longer useful")
                continue
            await window.room(self._pace.rate)
            await self._pace.take()
            if not self._may_go_on(deadline):
                return
            window.start(row.chat_id, self._deliver_safely(row))

    async def _deliver_safely(self, row: OutboxMessage) -> int:
        BROADCAST.set(True)  # this task's calls were paced here (bot/outbox/pace.py)
        try:
            return await self._deliver(row)
        except Exception as error:  # the database, mostly: the others go on
            log.warning("outbox %s: not recorded (%s)", row.id, type(error).__name__)
            return 0

    async def _claim(self, row: OutboxMessage) -> bool:
        """The fencing check, just before the call to Telegram: this row, for this term."""
        term = self._term
        if not self.may_send:
            return False
        now = self._services.now()
        timeout = self._services.settings.outbox_send_timeout
        lease_until = now + timedelta(seconds=timeout + LEASE_MARGIN_SECONDS)
        async with self._services.sessions.begin() as session:
            claimed = await outbox_repo.claim(
                session, row.id, now=now, lease_until=lease_until,
                term=term if self._fenced else None,
            )  # fmt: skip
            if claimed or term is None or await outbox_repo.term_is_current(session, term):
                return claimed
        if self._term == term:
            log.warning("term %s has passed: this sender stops", term)
            self.stand_down()
        return False

    def _expired(self, row: OutboxMessage) -> bool:
        return (
            row.useful_until is not None
            and self._services.now() > row.useful_until
            and row.kind not in outbox_repo.NEVER_DROPPED
        )

    async def _deliver(self, row: OutboxMessage) -> int:
        services = self._services
        timeout = services.settings.outbox_send_timeout
        # A database error here is no fault of the row: it goes up, the row stays due.
        if not await self._claim(row):
            return 0  # another sender has it, or this one no longer leads
        try:
            async with asyncio.timeout(timeout):
                message_id = await send_payload(
                    self._bot, row.chat_id, row.payload, read_timeout=timeout
                )
        except TimeoutError:  # maybe sent: tried again, so it may arrive twice (see above)
            await outcome.retry(services, row.id, outcome.backoff(row.attempts + 1), "TimedOut")
        except RetryAfter as exc:
            seconds = retry_seconds(exc)
            self._pace.refused(seconds)
            await outcome.retry(services, row.id, timedelta(seconds=seconds), "429", count=False)
        except Forbidden:
            await outcome.blocked(services, row, self._on_blocked)
        except BadRequest as exc:
            await outcome.finish(services, row.id, OutboxStatus.DEAD, f"400: {exc.message}")
        except (NetworkError, TelegramError) as exc:
            error = type(exc).__name__
            await outcome.retry(services, row.id, outcome.backoff(row.attempts + 1), error)
        except Exception as exc:  # a row that can never be sent (say, a broken payload)
            log.exception("outbox %s could not be sent", row.id)
            await outcome.finish(services, row.id, OutboxStatus.DEAD, f"{type(exc).__name__}")
        else:
            self._last_send[row.chat_id] = time.monotonic()
            lease = timeout + LEASE_MARGIN_SECONDS
            await outcome.record_sent(services, row, message_id, self._on_sent, lease)
            return 1
        return 0

    def _recently_sent(self, chat_id: int) -> bool:
        last = self._last_send.get(chat_id)
        return last is not None and time.monotonic() - last < PER_CHAT_INTERVAL

    def _forget_old_sends(self) -> None:
        """Keep only the chats written to within the interval: memory stays flat however
        many people there are."""
        now = time.monotonic()
        for chat_id in [c for c, at in self._last_send.items() if now - at >= PER_CHAT_INTERVAL]:
            del self._last_send[chat_id]
