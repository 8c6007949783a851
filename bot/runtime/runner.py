"""Start and stop the bot: database first, then the Application, polling or on a webhook."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
from collections.abc import AsyncIterator
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update

from bot.config import Settings
from bot.context import Services
from bot.rules.clock import Clock, SystemClock
from bot.runtime.app import VardagApp, build_application
from bot.runtime.background import now_or_later, stop_background
from bot.runtime.health import Health
from bot.runtime.intake import intake_of
from bot.runtime.leader import Leadership, contend, is_postgres, sqlite_single_instance
from bot.runtime.polling import poll
from bot.runtime.webhook import WebhookServer
from storage.db import create_engine, session_factory
from storage.migrate import is_current, upgrade

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Runtime:
    services: Services
    engine: AsyncEngine


class SchemaBehind(Exception):
    """The database is not at the newest schema, and this caller may not migrate it."""


@contextlib.asynccontextmanager
async def open_runtime(
    settings: Settings,
    clock: Clock | None = None,
    engine: AsyncEngine | None = None,
    *,
    migrating: bool = True,
) -> AsyncIterator[Runtime]:
    """The database, migrated to the newest schema, and the services around it. The
    application's own engine has the statement time-out; migrations run without it (on
    an engine of their own), so a long one is not cut off.

    With ``migrating=False`` (a command that only reads) nothing is migrated: a database
    behind the newest schema raises :class:`SchemaBehind`, untouched."""
    owned = engine is None
    if engine is None:
        if migrating:
            await migrate(settings)
        engine = create_engine(
            settings.database_url,
            search_path=settings.database_schema,
            statement_timeout=settings.database_statement_timeout,
        )
    elif migrating:
        await upgrade(engine)
    try:
        if not migrating and not await is_current(engine):
            raise SchemaBehind
        services = Services(settings, clock or SystemClock(), session_factory(engine))
        yield Runtime(services, engine)
    finally:
        if owned:
            await engine.dispose()


async def migrate(settings: Settings) -> None:
    engine = create_engine(settings.database_url, search_path=settings.database_schema)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


async def _post_init(application: VardagApp) -> None:
    # PTB runs post_init only from run_polling/run_webhook, which Vardag does not use (it
    # runs the Application inside its own lifecycle), so it is called here.
    if application.post_init is not None:
        await application.post_init(application)


async def _stop(application: VardagApp) -> None:
    """Stop the Application with no job still running. PTB waits for the jobs running
    when it stops, but one its scheduler starts meanwhile is cancelled while its shielded
    callback goes on, unawaited, past the engine's disposal; so no job starts from here."""
    job_queue = application.job_queue
    if job_queue is not None and job_queue.scheduler.running:
        job_queue.scheduler.pause()
    await application.stop()


@contextlib.asynccontextmanager
async def polling(application: VardagApp, *, poll_timeout: int = 10) -> AsyncIterator[VardagApp]:
    """The Application started, its jobs running, polling into the inbox, until exit.
    (An Application without an inbox, e.g. a benchmark's bare bot, polls as PTB does.)"""
    if "intake" not in application.bot_data:
        async with _ptb_polling(application, poll_timeout) as started:
            yield started
        return
    intake = intake_of(application)
    async with application:
        await _post_init(application)
        await application.start()
        await intake.start()
        fetching = asyncio.create_task(
            poll(application.bot, intake, poll_timeout=poll_timeout), name="vardag-polling"
        )
        try:
            yield application
        finally:
            await stop_background(application)
            fetching.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await fetching
            await intake.stop()
            await _stop(application)


@contextlib.asynccontextmanager
async def _ptb_polling(application: VardagApp, poll_timeout: int) -> AsyncIterator[VardagApp]:
    async with application:
        await _post_init(application)
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(
            poll_interval=0.0, timeout=poll_timeout, allowed_updates=Update.ALL_TYPES
        )
        try:
            yield application
        finally:
            await stop_background(application)
            await application.updater.stop()
            await _stop(application)


@contextlib.asynccontextmanager
async def webhook(
    application: VardagApp, settings: Settings, health: Health
) -> AsyncIterator[VardagApp]:
    """The Application started, taking updates on Vardag's own web server (only with the
    secret token) into the inbox, which also answers ``/healthz`` and ``/readyz``
    (bot/runtime/webhook.py)."""
    url, secret = settings.require_webhook()
    server = WebhookServer(application, path=settings.webhook_path, secret=secret, health=health)
    intake = intake_of(application)
    async with application:
        await _post_init(application)
        await application.start()
        await intake.start()
        try:
            await server.start(settings.webhook_listen, settings.webhook_port)
            await now_or_later(
                application,
                "registering the webhook",
                lambda: application.bot.set_webhook(
                    url, secret_token=secret, allowed_updates=Update.ALL_TYPES
                ),
            )
            yield application
        finally:
            await stop_background(application)
            await server.stop()
            await intake.stop()
            await _stop(application)


def keep_start_up_heap() -> None:
    """Put what start-up made (the imports, the Application, the services: some 180,000
    objects) out of the garbage collector's way. A full collection would otherwise walk
    them all, again and again, for nothing: about 0.1 s of CPU each time, in the middle
    of a press (docs/performance.md). Garbage made so far is collected first."""
    gc.collect()
    gc.freeze()


async def run_until_stopped(settings: Settings, token: str, *, use_webhook: bool = False) -> None:
    """``vardag run``: the real bot, until SIGINT or SIGTERM.

    On PostgreSQL any number of instances may run; one at a time runs the clock and the
    sender (bot/runtime/leader.py). On SQLite a second instance refuses to start.
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
            leadership = Leadership(
                application.job_queue, application.bot_data["sender"] if shared else None
            )
            if shared:
                leadership.start_paused()
            health = Health(runtime.engine, leadership if shared else None)
            receiving = (
                webhook(application, settings, health) if use_webhook else polling(application)
            )
            async with receiving:
                keep_start_up_heap()
                log.info("Vardag is running; press Ctrl-C to stop")
                if shared:
                    await contend(leadership, runtime.engine, settings, stop)
                else:
                    await stop.wait()
    log.info("Vardag stopped")
