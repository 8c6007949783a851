"""One round of the morning burst, in a process of its own: the bot (database, real
sender, python-telegram-bot) against a sandbox already running in another process
(``python -m bot.sandbox``), so the CPU and memory measured here are the bot's alone.
Prints one JSON line. Run by benchmarks/morning_burst.py; not meant to be run by hand.

Kinds of round:
- ``morning``: N co-workers seeded, their plans drafted, the morning lists (and the
  morning question) queued by the real morning job's service, then sent until none is
  pending.
- ``drain``: 2 × N rows put straight in the outbox, then sent for at most
  ``--drain-seconds`` (memory at sizes whose whole morning would take hours at 30/s).

Senders: ``adaptive`` (this branch: the pace at Telegram's 30/s, the send window) or
``fixed`` (as before: a budget of 24 a second whose bucket starts full, one send in
flight).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import time as wallclock
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import func, insert, select

from bot.config import load_settings
from bot.context import Services
from bot.outbox.pace import Pace
from bot.outbox.sender import OutboxSender
from bot.rules.clock import MovableClock
from bot.rules.localtime import local_moment
from bot.rules.recurrence import Preset, build_rule
from bot.runtime.app import ON_SENT, build_application
from bot.runtime.runner import open_runtime
from bot.services.day import morning
from bot.services.people.reachability import blocked_the_bot
from bot.services.planning import drafting_everyone
from storage.models import OutboxMessage, OutboxStatus, Recurrence, TaskTemplate
from tests.coworkers import coworkers_with_a_task

TOKEN = "424242:benchmark-token"
FIRST_ID = 10_000
PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mib() -> float:
    with Path("/proc/self/statm").open() as statm:
        return int(statm.read().split()[1]) * PAGE / 2**20


async def count_rows(services: Services, status: OutboxStatus | None = None) -> int:
    statement = select(func.count()).select_from(OutboxMessage)
    if status is not None:
        statement = statement.where(OutboxMessage.status == status)
    async with services.sessions() as session:
        return int(await session.scalar(statement) or 0)


async def queue_directly(services: Services, count: int) -> None:
    """Two plain messages a co-worker, straight into the outbox (the ``drain`` round)."""
    now = services.now()
    for start in range(0, count, 5_000):
        rows: list[dict[str, Any]] = [
            {
                "idempotency_key": f"bench:{n}:{part}",
                "chat_id": FIRST_ID + n,
                "person_id": None,
                "kind": "bench",
                "payload": {"text": f"God morgon {n}" if part == 0 else "Hur mår du idag?"},
                "status": OutboxStatus.PENDING,
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
            for n in range(start, min(count, start + 5_000))
            for part in (0, 1)
        ]
        async with services.sessions.begin() as session:
            await session.execute(insert(OutboxMessage), rows)


async def seed(services: Services, count: int) -> None:
    """N co-workers, each with one task added for today and one recurring weekday task."""
    day = services.today()
    async with services.sessions.begin() as session:
        crowd = await coworkers_with_a_task(services, session, count, first_id=FIRST_ID, day=day)
        recurring = TaskTemplate(title="Torka borden", created_at=services.now())
        session.add(recurring)
        await session.flush()
        for person, _ in crowd:
            session.add(
                Recurrence(
                    template_id=recurring.id,
                    coworker_id=person.id,
                    rrule=build_rule(Preset.WEEKDAYS),
                    starts_on=day,
                    active=True,
                )
            )


def sender_for(services: Services, application: Any, kind: str) -> OutboxSender:
    if kind == "adaptive":
        sender: OutboxSender = application.bot_data["sender"]
        return sender
    fixed = Pace(24, burst=24, first_tokens=24, adapt=False)  # AsyncLimiter(24, 1) as was
    return OutboxSender(
        services, application.bot, ON_SENT, fixed, most_in_flight=1, on_blocked=blocked_the_bot
    )


async def sample_rss(peak: list[float]) -> None:
    while True:
        peak[0] = max(peak[0], rss_mib())
        await asyncio.sleep(0.2)


async def run(args: argparse.Namespace) -> dict[str, Any]:
    settings = load_settings(
        _env_file=None,
        telegram_token=TOKEN,
        bot_api_url=args.url,
        database_url=f"sqlite+aiosqlite:///{args.database}",
        bot_username="BenchBot",
        telegram_rate=args.rate,
    )
    clock = MovableClock(datetime(2026, 11, 24, 5, 0, tzinfo=UTC))
    async with aiohttp.ClientSession(args.url) as http:
        await http.post("/sandbox/bulk/users", json={"first": FIRST_ID, "count": args.coworkers})
        async with open_runtime(settings, clock) as runtime:
            services = runtime.services
            if args.round == "morning":
                await seed(services, args.coworkers)
                await drafting_everyone.draft_all(services, services.today())
                clock.set(local_moment(services.today(), time(8, 0, 1), services.zone))
            application = build_application(services, TOKEN)
            async with application:
                sender = sender_for(services, application, args.sender)
                if args.round == "morning":
                    await morning.enqueue_due_lists(services)
                else:
                    await queue_directly(services, args.coworkers)
                queued = await count_rows(services, OutboxStatus.PENDING)
                result = await send(services, sender, args.drain_seconds)
                result["queued"] = queued
        async with http.get(
            "/sandbox/bulk/received",
            params={"first": FIRST_ID, "count": args.coworkers, "prefix": "God morgon"},
        ) as response:
            result |= await response.json()
        async with http.get("/sandbox/bulk/sends") as response:
            result["sandbox"] = await response.json()
        async with http.get("/sandbox/stats") as response:
            result["rate_limited"] = (await response.json())["rate_limited"]
    result["max_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


async def send(services: Services, sender: OutboxSender, seconds: float) -> dict[str, Any]:
    before_rss = rss_mib()
    peak = [before_rss]
    sampler = asyncio.create_task(sample_rss(peak))
    cpu = os.times()
    started = wallclock.perf_counter()
    deadline = started + seconds if seconds > 0 else None
    while deadline is None or wallclock.perf_counter() < deadline:
        budget = None if deadline is None else max(0.1, deadline - wallclock.perf_counter())
        if not await sender.drain(budget_seconds=budget):
            if not await count_rows(services, OutboxStatus.PENDING):
                break
            await asyncio.sleep(0.05)  # waiting out a retry_after or a chat's second
    elapsed = wallclock.perf_counter() - started
    after = os.times()
    sampler.cancel()
    sent = await count_rows(services, OutboxStatus.SENT)
    return {
        "sent": sent,
        "send_s": elapsed,
        "rate": sent / elapsed,
        "cpu_ms_per_message": (after.user + after.system - cpu.user - cpu.system)
        * 1000
        / max(sent, 1),
        "rss_before_send_mib": before_rss,
        "rss_peak_send_mib": peak[0],
        "peak_in_flight": sender.window.peak,
        "refusals": sender.pace.refusals,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--database", type=Path, required=True)
    parser.add_argument("--coworkers", type=int, default=300)
    parser.add_argument("--round", choices=["morning", "drain"], default="morning")
    parser.add_argument("--sender", choices=["adaptive", "fixed"], default="adaptive")
    parser.add_argument("--rate", type=float, default=30.0, help="the pace's ceiling")
    parser.add_argument("--drain-seconds", type=float, default=0.0)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args))))


if __name__ == "__main__":
    main()
