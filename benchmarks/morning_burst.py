"""Morning burst: N co-workers' lists queued and delivered through the real sender
and python-telegram-bot against the sandbox enforcing Telegram's limits.

    .venv/bin/python benchmarks/morning_burst.py --coworkers 300

Prints one table: queueing time, delivery time, achieved rate against the 30/s
limit, 429s answered by the sandbox, lists lost and doubled.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import tempfile
import time as wallclock
from datetime import UTC, datetime, time
from pathlib import Path

from sqlalchemy import func, select

from bot.app import build_application
from bot.clock import MovableClock
from bot.config import load_settings
from bot.runner import open_runtime
from bot.sandbox.server import SandboxServer
from bot.sandbox.state import SandboxState
from bot.services import drafting, morning, planning
from bot.services.context import Services
from bot.services.recurrence import Preset, build_rule
from bot.services.sender import OutboxSender
from bot.timeutil import local_moment
from storage.models import OutboxMessage, OutboxStatus, Recurrence, Role, TaskTemplate
from storage.repos import people

TOKEN = "424242:benchmark-token"
FIRST_ID = 10_000


async def seed(services: Services, count: int, sandbox: SandboxServer) -> None:
    day = services.today()
    async with services.sessions.begin() as session:
        template = TaskTemplate(title="Vattna blommorna", created_at=services.now())
        recurring = TaskTemplate(title="Torka borden", created_at=services.now())
        session.add_all([template, recurring])
        await session.flush()
        for n in range(count):
            person = await people.add_person(
                session,
                name=f"Person {n}",
                role=Role.COWORKER,
                now=services.now(),
                telegram_user_id=FIRST_ID + n,
            )
            sandbox.state.add_user(FIRST_ID + n, f"Person {n}", started=True)
            await planning.add_task(services, session, coworker=person, template=template, day=day)
            session.add(
                Recurrence(
                    template_id=recurring.id,
                    coworker_id=person.id,
                    rrule=build_rule(Preset.WEEKDAYS),
                    starts_on=day,
                    active=True,
                )
            )


async def pending(services: Services) -> int:
    async with services.sessions() as session:
        return int(
            await session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.status == OutboxStatus.PENDING)
            )
            or 0
        )


async def run(count: int, database: Path) -> dict[str, float]:
    sandbox = SandboxServer(SandboxState(token=TOKEN))
    url = await sandbox.start()
    settings = load_settings(
        _env_file=None,
        telegram_token=TOKEN,
        bot_api_url=url,
        database_url=f"sqlite+aiosqlite:///{database}",
        bot_username="BenchBot",
    )
    clock = MovableClock(datetime(2026, 11, 24, 5, 0, tzinfo=UTC))
    try:
        async with open_runtime(settings, clock) as runtime:
            services = runtime.services
            await seed(services, count, sandbox)
            started = wallclock.perf_counter()
            await drafting.draft_all(services, services.today())
            draft_seconds = wallclock.perf_counter() - started
            clock.set(local_moment(services.today(), time(8, 0, 1), services.zone))
            application = build_application(services, TOKEN)
            async with application:
                sender: OutboxSender = application.bot_data["sender"]
                started = wallclock.perf_counter()
                queued = await morning.enqueue_due_lists(services)
                queue_seconds = wallclock.perf_counter() - started
                started = wallclock.perf_counter()
                while await pending(services):
                    if not await sender.drain():
                        await asyncio.sleep(0.05)  # waiting out a retry_after or a chat pause
                send_seconds = wallclock.perf_counter() - started
    finally:
        await sandbox.stop()
    received = [
        sum(
            1
            for m in sandbox.state.messages(FIRST_ID + n)
            if (m.text or "").startswith("God morgon")
        )
        for n in range(count)
    ]
    messages = sandbox.state.counters.calls["sendMessage"]  # the lists and the check-ins
    stats = sandbox.state.counters
    return {
        "coworkers": count,
        "queued": queued,
        "draft_s": draft_seconds,
        "queue_s": queue_seconds,
        "send_s": send_seconds,
        "messages": float(messages),
        "rate": messages / send_seconds,
        "share_of_30": messages / send_seconds / 30,
        "429s": float(stats.rate_limited),
        "lost": float(sum(1 for r in received if r == 0)),
        "doubled": float(sum(1 for r in received if r > 1)),
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--coworkers", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        row = asyncio.run(run(args.coworkers, Path(folder) / "bench.sqlite"))
    print(
        "| co-workers | draft (s) | queue (s) | messages | delivery (s) | messages/s | of 30/s "
        "| 429s | lost | doubled | peak memory (MiB) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {row['coworkers']:.0f} | {row['draft_s']:.2f} | {row['queue_s']:.2f} | "
        f"{row['messages']:.0f} | "
        f"{row['send_s']:.1f} | "
        f"{row['rate']:.1f} | {row['share_of_30']:.0%} | {row['429s']:.0f} | "
        f"{row['lost']:.0f} | {row['doubled']:.0f} | {row['peak_mib']:.0f} |"
    )


if __name__ == "__main__":
    main()
