"""Start and stop the bot: database first, then the Application in polling mode."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update

from bot.app import VardagApp, build_application
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.leader import Leadership, contend, is_postgres, sqlite_single_instance
from bot.services.context import Services
from storage.db import create_engine, session_factory
from storage.migrate import upgrade

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Runtime:
    services: Services
    engine: AsyncEngine


@contextlib.asynccontextmanager
async def open_runtime(
    settings: Settings, clock: Clock | None = None, engine: AsyncEngine | None = None
) -> AsyncIterator[Runtime]:
    """The database, migrated to the newest schema, and the services around it."""
    owned = engine is None
    engine = engine or create_engine(settings.database_url, search_path=settings.database_schema)
    try:
        await upgrade(engine)
        services = Services(settings, clock or SystemClock(), session_factory(engine))
        yield Runtime(services, engine)
    finally:
        if owned:
            await engine.dispose()


@contextlib.asynccontextmanager
async def polling(application: VardagApp, *, poll_timeout: int = 10) -> AsyncIterator[VardagApp]:
    """The Application started, its jobs running and its updater polling, until exit."""
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(
            poll_interval=0.0, timeout=poll_timeout, allowed_updates=Update.ALL_TYPES
        )
        try:
            yield application
        finally:
            await application.updater.stop()
            await application.stop()


@contextlib.asynccontextmanager
async def webhook(application: VardagApp, settings: Settings) -> AsyncIterator[VardagApp]:
    """The Application started, taking updates on its webhook (only with the secret token)."""
    url, secret = settings.require_webhook()
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=settings.webhook_path,
            webhook_url=url,
            secret_token=secret,
            allowed_updates=Update.ALL_TYPES,
        )
        try:
            yield application
        finally:
            await application.updater.stop()
            await application.stop()


async def run_until_stopped(settings: Settings, token: str, *, use_webhook: bool = False) -> None:
    """``vardag run``: the real bot, until SIGINT or SIGTERM.

    On PostgreSQL any number of instances may run; one at a time runs the clock and the
    sender (bot/leader.py). On SQLite a second instance refuses to start.
    """
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    shared = is_postgres(settings)
    with contextlib.ExitStack() as only_one:
        if not shared:
            only_one.enter_context(sqlite_single_instance(settings.database_url))
        async with open_runtime(settings) as runtime:
            application = build_application(runtime.services, token)
            assert application.job_queue is not None
            leadership = Leadership(application.job_queue)
            if shared:
                leadership.start_paused()
            receiving = webhook(application, settings) if use_webhook else polling(application)
            async with receiving:
                log.info("Vardag is running; press Ctrl-C to stop")
                if shared:
                    await contend(leadership, runtime.engine, settings, stop)
                else:
                    await stop.wait()
    log.info("Vardag stopped")
