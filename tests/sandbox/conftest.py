"""Fixtures for testing the sandbox on its own: the server on 127.0.0.1 with a free port,
a python-telegram-bot ``Bot`` pointed at it, and a client acting as people."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import telegram

from bot.sandbox import SandboxClient, SandboxServer, SandboxState

TOKEN = "123456789:SANDBOX-test-token_only"
ALVA = 1001
BO = 1002


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    server = SandboxServer(SandboxState(TOKEN, bot_username="VardagBot"))
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
async def people(sandbox: SandboxServer) -> AsyncIterator[SandboxClient]:
    assert sandbox.url is not None
    async with SandboxClient(sandbox.url) as client:
        yield client


@pytest.fixture
async def bot(sandbox: SandboxServer) -> AsyncIterator[telegram.Bot]:
    async with telegram.Bot(
        TOKEN, base_url=sandbox.bot_base_url, base_file_url=sandbox.bot_file_url
    ) as the_bot:
        yield the_bot


@pytest.fixture
async def alva(people: SandboxClient) -> int:
    """A person who has started the bot (and whose /start is waiting as an update)."""
    await people.add_user(ALVA, "Alva", username="alva", language_code="sv")
    await people.send_text(ALVA, "/start")
    return ALVA


@pytest.fixture
async def bo(people: SandboxClient) -> int:
    await people.add_user(BO, "Bo", last_name="Ek")
    await people.send_text(BO, "hej")
    return BO
