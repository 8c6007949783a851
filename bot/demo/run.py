"""``vardag demo``: the sandbox, the bot and a seeded group, on SQLite, until Ctrl-C."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from telegram import Bot, BotCommandScopeChat

from bot.config import Settings, load_settings
from bot.demo.seed import PEOPLE, seed_demo
from bot.demo.web import DemoWeb
from bot.i18n import Texts
from bot.rules.clock import MovableClock
from bot.rules.working_days import is_day_off, next_working_day
from bot.runtime.app import build_application
from bot.runtime.runner import open_runtime, polling
from bot.sandbox.server import SandboxServer
from bot.sandbox.state import SandboxState
from bot.views.menus import commands_for
from storage.models import Person

DEMO_TOKEN = "100200300:vardag-demo-sandbox-token"
DEMO_USERNAME = "VardagDemoBot"
MORNING = time(8, 0)
LEAD = timedelta(seconds=30)
PICTURE = Path(__file__).parent / "vattenkannan.png"


def demo_settings(sandbox_url: str, database: Path) -> Settings:
    return load_settings(
        telegram_token=DEMO_TOKEN,
        bot_api_url=sandbox_url,
        bot_username=DEMO_USERNAME,
        database_url=f"sqlite+aiosqlite:///{database}",
        database_schema=None,
        tick_seconds=2,
    )


def fresh_database(database: str) -> Path:
    path = Path(database).resolve()
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    return path


def demo_day(today: date) -> date:
    """Today, or the next working day when today is a weekend day or a public holiday."""
    return next_working_day(today) if is_day_off(today) else today


@contextlib.asynccontextmanager
async def demo_world(
    port: int, database: str, lead: timedelta = LEAD
) -> AsyncIterator[tuple[SandboxServer, Settings]]:
    """Everything the demo runs: the sandbox with the demo people and page, the bot, the clock.

    The clock starts ``lead`` before the morning time of the demo's day, so the lists come
    soon.
    """
    sandbox = SandboxServer(SandboxState(token=DEMO_TOKEN, bot_username=DEMO_USERNAME))
    clock = MovableClock(datetime.now(UTC))
    page = DemoWeb(clock, Texts(load_settings().language))
    sandbox.add_routes(page.routes())
    url = await sandbox.start(port=port)
    try:
        settings = demo_settings(url, fresh_database(database))
        zone = settings.zone
        day = demo_day(datetime.now(zone).date())
        clock.set(datetime.combine(day, MORNING, tzinfo=zone) - lead)
        for person in PEOPLE:
            sandbox.state.add_user(person.telegram_id, person.name, started=True)
        async with open_runtime(settings, clock) as runtime:
            picture = sandbox.state.new_photo(data=PICTURE.read_bytes())[-1]
            persons = await seed_demo(runtime.services, MORNING, day, picture.file_id)
            page.services = runtime.services
            async with polling(build_application(runtime.services, DEMO_TOKEN)) as application:
                await show_menus(application.bot, persons.values())
                yield sandbox, settings
    finally:
        await sandbox.stop()


async def show_menus(bot: Bot, persons: Iterable[Person]) -> None:
    """Each person's command menu, as joining by an invite would have set it."""
    for person in persons:
        assert person.telegram_user_id is not None
        await bot.set_my_commands(
            commands_for(person.role, Texts(person.language)),
            scope=BotCommandScopeChat(person.telegram_user_id),
        )


def instructions(t: Texts, url: str) -> str:
    names = ", ".join(p.key for p in PEOPLE)
    return t.plain("demo.instructions", url=url, page=f"{url}/demo/", names=names)


async def run_demo(port: int, database: str) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with demo_world(port, database) as (_sandbox, settings):
        print(instructions(Texts(settings.language), settings.bot_api_url), flush=True)  # noqa: T201
        await stop.wait()
