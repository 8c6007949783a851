"""Webhook mode (Vardag's own web server, bot/runtime/webhook.py): updates come only with
the secret token, a repeated update (the same ``update_id``) is processed once, and what
is not an update is refused. The health probes beside it: tests/e2e/test_health.py."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import aiohttp
import pytest
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings
from bot.context import Services
from bot.rules.clock import MovableClock
from bot.runtime.app import build_application
from bot.runtime.health import Health
from bot.runtime.runner import open_runtime, webhook
from bot.sandbox.client import SandboxClient
from bot.sandbox.server import SandboxServer
from tests.conftest import TEST_TOKEN
from tests.e2e.helpers import coworker_with_plan, open_today, seen

KIM = 1001
SECRET = "vardag-webhook-secret_1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def on_webhook(
    sandbox_settings: Settings, clock: MovableClock, engine: AsyncEngine
) -> AsyncIterator[tuple[Services, str]]:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    settings = sandbox_settings.model_copy(
        update={
            "webhook_url": url,
            "webhook_listen": "127.0.0.1",
            "webhook_port": port,
            "webhook_secret": SecretStr(SECRET),
        }
    )
    async with open_runtime(settings, clock, engine) as runtime:
        application = build_application(runtime.services, TEST_TOKEN)
        async with webhook(application, settings, Health(runtime.engine, None)):
            yield runtime.services, url


def today_update(update_id: int, user_id: int) -> dict[str, object]:
    sender = {"id": user_id, "is_bot": False, "first_name": "Kim"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": 5000 + update_id,
            "date": 1795500000,
            "chat": {"id": user_id, "type": "private", "first_name": "Kim"},
            "from": sender,
            "text": "/today",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


async def post(url: str, body: object, secret: str | None) -> int:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    data = body if isinstance(body, bytes) else None
    json_body = None if isinstance(body, bytes) else body
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json=json_body, data=data, headers=headers) as response,
    ):
        return response.status


async def until_answers(people: SandboxClient, known: set[int], count: int) -> None:
    async with asyncio.timeout(10):
        while True:
            answers = [m for m in await people.bot_messages(KIM) if m.message_id not in known]
            if len(answers) >= count:
                return
            await asyncio.sleep(0.05)


async def replies(people: SandboxClient, known: set[int]) -> list[str]:
    await asyncio.sleep(0.5)  # time for a wrong answer to arrive, if one were coming
    return [m.text for m in await people.bot_messages(KIM) if m.message_id not in known]


async def test_updates_come_by_webhook(
    on_webhook: tuple[Services, str], people: SandboxClient, sandbox: SandboxServer
) -> None:
    services, _ = on_webhook
    await coworker_with_plan(services, name="Kim", telegram_id=KIM, day=services.today())
    await people.add_user(KIM, "Kim")
    shown = await open_today(people, KIM)
    assert shown.text.startswith("God morgon Kim!")
    assert (await people.stats())["webhook_deliveries"] >= 1


async def test_a_wrong_or_missing_secret_is_refused(
    on_webhook: tuple[Services, str], people: SandboxClient
) -> None:
    services, url = on_webhook
    await coworker_with_plan(services, name="Kim", telegram_id=KIM, day=services.today())
    await people.add_user(KIM, "Kim", started=True)
    known = await seen(people, KIM)
    assert await post(url, today_update(9001, KIM), None) == 403
    assert await post(url, today_update(9002, KIM), "guessed") == 403
    assert await replies(people, known) == []


async def test_a_repeated_update_is_processed_once(
    on_webhook: tuple[Services, str], people: SandboxClient
) -> None:
    services, url = on_webhook
    await coworker_with_plan(services, name="Kim", telegram_id=KIM, day=services.today())
    await people.add_user(KIM, "Kim", started=True)
    known = await seen(people, KIM)
    for _ in range(3):
        assert await post(url, today_update(9100, KIM), SECRET) == 200
    assert await post(url, today_update(9101, KIM), SECRET) == 200
    # A chat's updates are processed in order: once 9101 is answered, any second answer
    # to 9100 would be there before it.
    await until_answers(people, known, 2)
    shown = await replies(people, known)
    assert len(shown) == 2 and all(text.startswith("God morgon Kim!") for text in shown)


async def test_what_is_not_an_update_is_refused(
    on_webhook: tuple[Services, str], people: SandboxClient
) -> None:
    services, url = on_webhook
    await coworker_with_plan(services, name="Kim", telegram_id=KIM, day=services.today())
    await people.add_user(KIM, "Kim", started=True)
    known = await seen(people, KIM)
    assert await post(url, b"not json", SECRET) == 400
    assert await post(url, ["a", "list"], SECRET) == 400
    assert await post(url, {"message": {"text": "/today"}}, SECRET) == 400  # no update_id
    assert (
        await post(url.removesuffix("/telegram") + "/other", today_update(9200, KIM), SECRET) == 404
    )
    assert await replies(people, known) == []
    assert await post(url, today_update(9201, KIM), SECRET) == 200  # and it still works
    await until_answers(people, known, 1)
    assert len(await replies(people, known)) == 1
