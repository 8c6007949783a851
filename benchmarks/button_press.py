"""The cost of a button press: Vardag's "Done" against a bare python-telegram-bot echo
bot on the same sandbox, and how long a press waits in the middle of a morning burst.

    .venv/bin/python benchmarks/button_press.py --presses 300 --burst 1000

Prints two tables: updates per CPU-second (the whole process: bot, sandbox and
database, measured alike for both bots), and p50/p95 of a press during a burst.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time as wallclock
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime, time
from pathlib import Path

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes

from bot.app import VardagApp, build_application
from bot.clock import MovableClock
from bot.config import Settings, load_settings
from bot.runner import open_runtime, polling
from bot.sandbox.limits import LimitConfig
from bot.sandbox.server import SandboxServer
from bot.sandbox.state import SandboxState
from bot.services import planning
from bot.services.context import Services
from bot.timeutil import local_moment
from storage.models import PlannedTask, PlanStatus, Role, TaskTemplate
from storage.repos import people

TOKEN = "424242:benchmark-token"
FIRST_ID = 10_000
START = datetime(2026, 11, 24, 5, 0, tzinfo=UTC)  # Tuesday 06:00 in Stockholm


async def seed(services: Services, sandbox: SandboxServer, count: int, sent: bool) -> list[int]:
    """``count`` co-workers with one familiar task today; the task ids."""
    task_ids = []
    async with services.sessions.begin() as session:
        template = TaskTemplate(title="Vattna blommorna", created_at=services.now())
        session.add(template)
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
            task: PlannedTask = await planning.add_task(
                services, session, coworker=person, template=template, day=services.today()
            )
            task.first_time = False
            task.plan.status = PlanStatus.SENT if sent else PlanStatus.APPROVED
            task_ids.append(task.id)
    return task_ids


def press(sandbox: SandboxServer, n: int, data: str) -> str:
    """Co-worker n presses a button with ``data`` on a bot message in their chat."""
    user = FIRST_ID + n
    message = sandbox.state.add_message(user, from_bot=True, kind="text", text="Din uppgift")
    query, _ = sandbox.state.press(user, message, data)
    return query.id


async def answered(sandbox: SandboxServer, query_ids: list[str]) -> None:
    while not all(sandbox.state.callbacks[q].answered for q in query_ids):  # noqa: ASYNC110
        await asyncio.sleep(0.005)


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_text(f"Du tryckte {query.data}")


def echo_bot(url: str) -> Application:  # type: ignore[type-arg]
    application = Application.builder().token(TOKEN).base_url(f"{url}/bot").build()
    application.add_handler(CallbackQueryHandler(echo))
    return application


async def cpu_per_press(
    sandbox: SandboxServer,
    running: AbstractAsyncContextManager[object],
    data_for: Callable[[int], str],
    count: int,
) -> float:
    """Updates per CPU-second while ``count`` presses are handled."""
    async with running as application:
        await asyncio.sleep(1.0)  # started and polling
        if (
            isinstance(application, Application)
            and "services" in application.bot_data
            and application.job_queue is not None
        ):
            # The clock's jobs are not the press's cost: let the first morning tick (today's
            # safety-net drafting) finish, then pause them.
            while application.bot_data.get("drafted", {}).get("today") is None:  # noqa: ASYNC110
                await asyncio.sleep(0.05)
            application.job_queue.scheduler.pause()
            await asyncio.sleep(1.0)
        cpu = wallclock.process_time()
        ids = [press(sandbox, n, data_for(n)) for n in range(count)]
        await answered(sandbox, ids)
        return count / (wallclock.process_time() - cpu)


def settings_for(url: str, database: Path) -> Settings:
    return load_settings(
        _env_file=None,
        telegram_token=TOKEN,
        bot_api_url=url,
        database_url=f"sqlite+aiosqlite:///{database}",
        bot_username="BenchBot",
        tick_seconds=1.0,
    )


async def press_cost(presses: int, folder: Path) -> tuple[float, float]:
    # No rate limits here: this measures the bots' work, not Telegram's limits.
    sandbox = SandboxServer(SandboxState(token=TOKEN), limits=LimitConfig(enabled=False))
    url = await sandbox.start()
    try:
        async with open_runtime(
            settings_for(url, folder / "press.sqlite"), MovableClock(START)
        ) as rt:
            tasks = await seed(rt.services, sandbox, presses, sent=True)
            vardag = build_application(rt.services, TOKEN)
            ours = await cpu_per_press(
                sandbox, polling(vardag, poll_timeout=1), lambda n: f"d:{tasks[n]}", presses
            )
        bare = await cpu_per_press(
            sandbox, polling(echo_bot(url), poll_timeout=1), lambda n: f"echo:{n}", presses
        )
    finally:
        await sandbox.stop()
    return ours, bare


async def during_burst(burst: int, presses: int, folder: Path) -> tuple[list[float], float]:
    """Latencies (s) of presses made while ``burst`` morning lists are being sent."""
    sandbox = SandboxServer(SandboxState(token=TOKEN))
    url = await sandbox.start()
    clock = MovableClock(START)
    try:
        async with open_runtime(settings_for(url, folder / "burst.sqlite"), clock) as rt:
            services = rt.services
            tasks = await seed(services, sandbox, burst, sent=False)
            application: VardagApp = build_application(services, TOKEN)
            async with polling(application, poll_timeout=1):
                clock.set(local_moment(services.today(), time(8, 0, 1), services.zone))
                while sandbox.state.counters.calls["sendMessage"] < 50:  # noqa: ASYNC110
                    await asyncio.sleep(0.05)
                started = sandbox.state.counters.calls["sendMessage"]
                latencies = []
                for n in range(presses):  # one co-worker after another presses Done
                    begun = wallclock.perf_counter()
                    query = press(sandbox, n, f"d:{tasks[n]}")
                    await answered(sandbox, [query])
                    latencies.append(wallclock.perf_counter() - begun)
                    await asyncio.sleep(0.1)
                during = sandbox.state.counters.calls["sendMessage"] - started
    finally:
        await sandbox.stop()
    return latencies, float(during)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--presses", type=int, default=300)
    parser.add_argument("--burst", type=int, default=1000)
    parser.add_argument("--burst-presses", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        ours, bare = asyncio.run(press_cost(args.presses, folder))
        latencies, during = asyncio.run(during_burst(args.burst, args.burst_presses, folder))
    print("| bot | presses | updates per CPU-second |")
    print("|---|---:|---:|")
    print(f'| Vardag "Done" | {args.presses} | {ours:.0f} |')
    print(f"| bare PTB echo | {args.presses} | {bare:.0f} |")
    print(f"| ratio | | {ours / bare:.2f} |")
    print()
    cut = statistics.quantiles(latencies, n=20, method="inclusive")
    print("| burst lists | presses | p50 (ms) | p95 (ms) | max (ms) | lists sent meanwhile |")
    print("|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {args.burst} | {len(latencies)} | {statistics.median(latencies) * 1000:.0f} | "
        f"{cut[18] * 1000:.0f} | {max(latencies) * 1000:.0f} | {during:.0f} |"
    )


if __name__ == "__main__":
    main()
