"""Webhook mode's probes, over HTTP: ``/healthz`` answers while the process runs;
``/readyz`` says ready (and whether this instance leads) only when the database answers
and its migrations are at head, and otherwise 503 with the reason."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
from alembic import command
from alembic.script import ScriptDirectory
from pydantic import SecretStr
from sqlalchemy import Connection
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings
from bot.context import Services
from bot.rules.clock import MovableClock
from bot.runtime.app import build_application
from bot.runtime.health import Health
from bot.runtime.leader import Leadership
from bot.runtime.runner import webhook
from bot.sandbox.server import SandboxServer
from storage.db import create_engine, session_factory
from storage.migrate import alembic_config
from tests.conftest import TEST_TOKEN, Database
from tests.e2e.conftest import cli_env
from tests.e2e.test_crash_restart import start_bot, webhook_env
from tests.e2e.test_webhook import free_port

READY_LEADER = {"status": "ready", "role": "leader"}
READY_FOLLOWER = {"status": "ready", "role": "follower"}
NOT_AT_HEAD = {
    "status": "not ready",
    "reason": "database migrations are not at head: run vardag migrate",
    "role": "follower",
}


async def probe(base: str, name: str) -> tuple[int, dict[str, str]]:
    async with aiohttp.ClientSession() as session, session.get(f"{base}/{name}") as response:
        return response.status, await response.json()


@contextlib.asynccontextmanager
async def serving(
    settings: Settings, clock: MovableClock, engine: AsyncEngine, *, sole: bool
) -> AsyncIterator[str]:
    """The bot in webhook mode on ``engine``; yields where its probes are. ``sole``: the
    only instance (SQLite), which always leads; otherwise a follower whose jobs wait."""
    port = free_port()
    settings = settings.model_copy(
        update={
            "webhook_url": f"http://127.0.0.1:{port}/telegram",
            "webhook_listen": "127.0.0.1",
            "webhook_port": port,
            "webhook_secret": SecretStr("health-test-secret"),
        }
    )
    application = build_application(Services(settings, clock, session_factory(engine)), TEST_TOKEN)
    assert application.job_queue is not None
    leadership = None if sole else Leadership(application.job_queue, application.bot_data["sender"])
    if leadership is not None:
        leadership.start_paused()
    async with webhook(application, settings, Health(engine, leadership)):
        yield f"http://127.0.0.1:{port}"


async def test_alive_and_ready_as_the_only_instance(
    sandbox_settings: Settings, clock: MovableClock, engine: AsyncEngine
) -> None:
    async with serving(sandbox_settings, clock, engine, sole=True) as base:
        assert await probe(base, "healthz") == (200, {"status": "alive"})
        assert await probe(base, "readyz") == (200, READY_LEADER)


async def test_a_follower_is_ready_and_says_so(
    sandbox_settings: Settings, clock: MovableClock, engine: AsyncEngine
) -> None:
    async with serving(sandbox_settings, clock, engine, sole=False) as base:
        expected = READY_FOLLOWER
        if sandbox_settings.database_url.startswith("postgresql"):
            expected = expected | {"leader": "none"}  # nobody has led yet
        assert await probe(base, "readyz") == (200, expected)


def unreachable(database: Database, tmp_path: Path) -> AsyncEngine:
    """The same kind of database, where there is none: a missing SQLite file opened
    read-only, or a PostgreSQL port nobody listens on."""
    if database.url.startswith("sqlite"):
        missing = tmp_path / "gone" / "vardag.sqlite"
        return create_engine(f"sqlite+aiosqlite:///file:{missing}?mode=ro&uri=true")
    url = make_url(database.url).set(host="127.0.0.1", port=free_port())
    return create_engine(url.render_as_string(hide_password=False), search_path=database.schema)


async def test_not_ready_while_the_database_is_unreachable(
    sandbox_settings: Settings, clock: MovableClock, database: Database, tmp_path: Path
) -> None:
    gone = unreachable(database, tmp_path)
    try:
        async with serving(sandbox_settings, clock, gone, sole=False) as base:
            assert await probe(base, "healthz") == (200, {"status": "alive"})
            status, body = await probe(base, "readyz")
    finally:
        await gone.dispose()
    assert status == 503
    assert body["status"] == "not ready" and body["role"] == "follower"
    assert body["reason"].startswith("database unreachable (")


async def test_not_ready_on_an_empty_database(
    sandbox_settings: Settings, clock: MovableClock, database: Database
) -> None:
    empty = database.engine()
    try:
        async with serving(sandbox_settings, clock, empty, sole=False) as base:
            assert await probe(base, "readyz") == (503, NOT_AT_HEAD)
    finally:
        await empty.dispose()


async def stamp(engine: AsyncEngine, revision: str) -> None:
    def _stamp(sync: Connection) -> None:
        command.stamp(alembic_config(sync), revision)

    async with engine.begin() as connection:
        await connection.run_sync(_stamp)


async def test_not_ready_while_migrations_are_behind_then_ready(
    sandbox_settings: Settings, clock: MovableClock, engine: AsyncEngine
) -> None:
    scripts = ScriptDirectory.from_config(alembic_config())
    head = scripts.get_revision(scripts.get_current_head() or "head")
    assert head is not None and isinstance(head.down_revision, str)
    await stamp(engine, head.down_revision)  # as if the newest migration had not run
    async with serving(sandbox_settings, clock, engine, sole=True) as base:
        assert await probe(base, "readyz") == (503, NOT_AT_HEAD | {"role": "leader"})
        await stamp(engine, head.revision)  # as `vardag migrate` leaves it
        assert await probe(base, "readyz") == (200, READY_LEADER)


async def until_probe(base: str, name: str, expected: tuple[int, object]) -> None:
    """Ask until the answer is ``expected`` (the process is starting or taking over)."""
    async with asyncio.timeout(30):
        while True:
            with contextlib.suppress(aiohttp.ClientError):
                if await probe(base, name) == expected:
                    return
            await asyncio.sleep(0.1)


def led_by(process: asyncio.subprocess.Process) -> dict[str, str]:
    """What ``/readyz`` adds on PostgreSQL: the instance that leads."""
    return {"leader": f"{socket.gethostname()}:{process.pid}"}


def probes_of(env: dict[str, str]) -> str:
    return env["VARDAG_WEBHOOK_URL"].removesuffix("/telegram")


async def stopped(process: asyncio.subprocess.Process) -> None:
    process.send_signal(signal.SIGTERM)
    _, errors = await process.communicate()
    assert process.returncode == 0, errors.decode()[-2000:]


async def test_vardag_run_webhook_serves_the_probes(
    services: Services,  # the database, migrated
    database: Database,
    sandbox: SandboxServer,
) -> None:
    """The real command: one instance, and on PostgreSQL a second one that follows until
    the first stops, then leads."""
    env = cli_env(database, sandbox) | {"VARDAG_BOT_USERNAME": "B"}
    first_env = webhook_env(env)
    first = await start_bot(first_env, "--webhook")
    try:
        await until_probe(probes_of(first_env), "healthz", (200, {"status": "alive"}))
        if not database.url.startswith("postgresql"):
            await until_probe(probes_of(first_env), "readyz", (200, READY_LEADER))
            return
        await until_probe(probes_of(first_env), "readyz", (200, READY_LEADER | led_by(first)))
        second_env = webhook_env(env)
        second = await start_bot(second_env, "--webhook")
        try:
            follower = READY_FOLLOWER | led_by(first)
            await until_probe(probes_of(second_env), "readyz", (200, follower))
            await stopped(first)
            leader = READY_LEADER | led_by(second)
            await until_probe(probes_of(second_env), "readyz", (200, leader))
        finally:
            await stopped(second)
    finally:
        if first.returncode is None:
            await stopped(first)
