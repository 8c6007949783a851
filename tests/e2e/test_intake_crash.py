"""``kill -9`` of a real ``vardag run --webhook`` while it processes an update it has
acknowledged (its answer to Telegram is slow); a restarted instance takes the update
again when the lease runs out: the person gets the answer once."""

from __future__ import annotations

import asyncio
import signal
import time

import aiohttp

from bot.context import Services
from bot.sandbox.client import SandboxClient
from bot.sandbox.server import SandboxServer
from storage.models import InboxUpdate, Role
from storage.repos import people as people_repo
from tests.conftest import Database
from tests.e2e.conftest import cli_env
from tests.e2e.test_crash_restart import start_bot, until, webhook_env
from tests.e2e.test_webhook import post, today_update

KIM = 1001
SECRET = "crash-test-secret"  # webhook_env's


async def until_up(url: str) -> None:
    health = url.removesuffix("/telegram") + "/healthz"
    async with asyncio.timeout(30), aiohttp.ClientSession() as session:
        while True:
            try:
                async with session.get(health) as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)


async def attempts(services: Services, update_id: int) -> tuple[int, str | None]:
    async with services.sessions() as session:
        row = await session.get(InboxUpdate, update_id)
    return (0, None) if row is None else (row.attempts, row.outcome)


async def test_kill_9_while_processing_an_acknowledged_update_then_restart(
    services: Services, sandbox: SandboxServer, people: SandboxClient, database: Database
) -> None:
    async with services.sessions.begin() as session:
        await people_repo.add_person(
            session, name="Kim", role=Role.COWORKER, now=services.now(), telegram_user_id=KIM
        )
    await people.add_user(KIM, "Kim", started=True)
    env = webhook_env(cli_env(database, sandbox)) | {
        "VARDAG_BOT_USERNAME": "B",
        "VARDAG_UPDATE_LEASE_SECONDS": "1",
    }
    url = env["VARDAG_WEBHOOK_URL"]
    sent = sandbox.state.counters.calls

    first = await start_bot(env, "--webhook")
    try:
        await until_up(url)
        # Telegram is slow to take the answer: the instance is in the middle of it.
        await people.set_faults(rate_timeout=1.0, timeout_seconds=30, methods=["sendMessage"])
        assert await post(url, today_update(9500, KIM), SECRET) == 200
        await until(lambda: sent["sendMessage"] >= 1, 30)
    finally:
        first.send_signal(signal.SIGKILL)
        await first.wait()
    killed = time.monotonic()
    await people.set_faults()  # Telegram is well again
    assert await attempts(services, 9500) == (1, None)  # acknowledged, not done
    assert await people.bot_messages(KIM) == []

    second = await start_bot(env, "--webhook")
    try:
        await people.wait_for(KIM, lambda m: m.from_bot, timeout=30)
        print(f"answered {time.monotonic() - killed:.1f} s after the kill (restart included)")
        assert await post(url, today_update(9500, KIM), SECRET) == 200  # delivered again
        assert await post(url, today_update(9501, KIM), SECRET) == 200
        await until(lambda: sent["sendMessage"] >= 3, 30)  # 9501's answer, after 9500's
    finally:
        second.send_signal(signal.SIGTERM)
        _, errors = await second.communicate()
    assert second.returncode == 0, errors.decode()[-2000:]
    assert len(await people.bot_messages(KIM)) == 2  # one answer to each update
    assert await attempts(services, 9500) == (2, "done")
