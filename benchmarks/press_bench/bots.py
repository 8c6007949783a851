"""The two bots of the press benchmark (benchmarks/button_press.py), each run in a process
of its own (``--serve``): Vardag on a seeded SQLite database, and a bare
python-telegram-bot bot that answers and edits the pressed message."""

from __future__ import annotations

import asyncio
import contextlib
import cProfile
import os
import sys
import time as wallclock
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from telegram import Update
from telegram.ext import AIORateLimiter, Application, CallbackQueryHandler, ContextTypes

from bot.config import Settings, load_settings
from bot.context import Services
from bot.rules.clock import MovableClock
from bot.runtime.app import build_application
from bot.runtime.runner import keep_start_up_heap, open_runtime, polling
from bot.sandbox.models import Message
from bot.sandbox.server import SandboxServer
from bot.services.planning import plans as planning
from bot.telegram.transport import AiohttpRequest
from storage.models import DayPlan, PlannedTask, PlanStatus, Role, TaskTemplate
from storage.repos import people

TOKEN = "424242:benchmark-token"
FIRST_ID = 10_000
START = datetime(2026, 11, 24, 5, 0, tzinfo=UTC)  # Tuesday 06:00 in Stockholm
ECHO_LIMITER = "VARDAG_BENCH_ECHO_LIMITER"
ECHO_AIOHTTP = "VARDAG_BENCH_ECHO_AIOHTTP"


Seeded = tuple[list[list[int]], list[Message]]


async def seed(
    services: Services, sandbox: SandboxServer, count: int, tasks_each: int, sent: bool
) -> Seeded:
    """``count`` co-workers with ``tasks_each`` familiar tasks today, their morning list
    (when ``sent``) a message in their chat; the task ids, a list per co-worker, and the
    list messages."""
    task_ids: list[list[int]] = []
    lists: list[Message] = []
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
            ids = []
            for _ in range(tasks_each):
                task: PlannedTask = await planning.add_task(
                    services, session, coworker=person, template=template, day=services.today()
                )
                task.first_time = False
                ids.append(task.id)
            plan: DayPlan = task.plan
            plan.status = PlanStatus.SENT if sent else PlanStatus.APPROVED
            if sent:
                listed = sandbox.state.add_message(
                    FIRST_ID + n, from_bot=True, kind="text", text="Din lista"
                )
                plan.list_message_id = listed.message_id
                lists.append(listed)
            task_ids.append(ids)
    return task_ids, lists


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_text(f"Du tryckte {query.data}")


def echo_bot(url: str) -> Application:  # type: ignore[type-arg]
    builder = Application.builder().token(TOKEN).base_url(f"{url}/bot")
    if os.environ.get(ECHO_LIMITER):  # as Vardag's: edits wait their turn at 29/s
        limiter = AIORateLimiter(overall_max_rate=29, max_retries=3)
        builder = builder.rate_limiter(limiter)  # type: ignore[arg-type]
    if os.environ.get(ECHO_AIOHTTP):  # as Vardag's: the Bot API over aiohttp
        builder = builder.request(AiohttpRequest()).get_updates_request(AiohttpRequest(1))
    application = builder.build()
    application.add_handler(CallbackQueryHandler(echo))
    return application


def settings_for(url: str, database: Path) -> Settings:
    return load_settings(
        _env_file=None,
        telegram_token=TOKEN,
        bot_api_url=url,
        database_url=f"sqlite+aiosqlite:///{database}",
        bot_username="BenchBot",
        tick_seconds=1.0,
    )


async def serve(which: str, url: str, database: Path) -> None:
    """Run one bot until stdin closes; say "ready" once it polls with nothing else to do."""
    stop = asyncio.Event()
    asyncio.get_running_loop().add_reader(sys.stdin.fileno(), stop.set)
    if which == "echo":
        async with polling(echo_bot(url), poll_timeout=1):
            print("ready", flush=True)
            await stop.wait()
        return
    async with open_runtime(settings_for(url, database), MovableClock(START)) as rt:
        vardag = build_application(rt.services, TOKEN)
        async with polling(vardag, poll_timeout=1) as application:
            # The clock's jobs are not the press's cost: let the first morning tick
            # (today's safety-net drafting) finish, then pause them.
            while application.bot_data.get("drafted", {}).get("today") is None:  # noqa: ASYNC110
                await asyncio.sleep(0.05)
            assert application.job_queue is not None
            application.job_queue.scheduler.pause()
            keep_start_up_heap()  # as `vardag run` does once it runs
            await asyncio.sleep(1.0)
            with profiled():
                print("ready", flush=True)
                await stop.wait()
            clocks = getattr(application.bot_data["intake"], "presses", None)  # (older trees)
            print(f"late {getattr(clocks, 'late', -1)}", flush=True)


@contextlib.contextmanager
def profiled() -> Iterator[None]:
    """With VARDAG_PROFILE=<file>, a profile of the bot process while it takes presses:
    pyinstrument's (if installed; <file>.txt, every stack the loop runs, samples of
    0.5 ms) or else cProfile's of the main thread's CPU."""
    target = os.environ.get("VARDAG_PROFILE")
    if not target:
        yield
        return
    try:
        from pyinstrument import Profiler
    except ImportError:
        profile = cProfile.Profile(wallclock.thread_time)
        profile.enable()
        try:
            yield
        finally:
            profile.disable()
            profile.dump_stats(target)
        return
    sampler = Profiler(interval=0.0005, async_mode="disabled")
    sampler.start()
    try:
        yield
    finally:
        sampler.stop()
        Path(target).write_text(
            sampler.output_text(show_all=os.environ.get("VARDAG_PROFILE_ALL") == "1", unicode=False)
        )
