"""Polling stores updates as Telegram sent them (bot/runtime/polling.py). An update that
cannot be read is let go on its own, with a line in the log that does not hold what it
said: the updates around it are stored and answered, and its offset is confirmed, so
Telegram does not send it again and again."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.context import Services
from bot.rules.clock import MovableClock
from bot.runtime.app import build_application
from bot.runtime.runner import open_runtime, polling
from bot.sandbox.client import SandboxClient
from bot.sandbox.server import SandboxServer
from storage.models import InboxUpdate
from tests.conftest import TEST_TOKEN, Database
from tests.e2e.helpers import coworker_with_plan

KIM = 1001
SECRET_WORDS = "hemliga ord"


async def test_an_unreadable_update_is_let_go_and_the_others_are_answered(
    sandbox_settings: Settings,
    clock: MovableClock,
    database: Database,
    services: Services,
    sandbox: SandboxServer,
    people: SandboxClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await coworker_with_plan(services, name="Kim", telegram_id=KIM, day=services.today())
    await people.add_user(KIM, "Kim", started=True)
    # A message without its chat or date: no update python-telegram-bot can read.
    broken = sandbox.state.emit("message", {"message_id": 77, "text": SECRET_WORDS})
    assert broken is not None
    await people.send_text(KIM, "/today")
    engine = database.engine()
    try:
        with caplog.at_level(logging.INFO):
            async with open_runtime(sandbox_settings, clock, engine) as runtime:
                application = build_application(runtime.services, TEST_TOKEN)
                async with polling(application, poll_timeout=1):
                    answer = await people.wait_for(KIM, lambda m: m.from_bot)
                    await people.send_text(KIM, "/today")  # polled after the broken one
                    await people.wait_for(
                        KIM, lambda m: m.from_bot and m.message_id > answer.message_id
                    )
    finally:
        await engine.dispose()
    assert answer.text.startswith("God morgon Kim!")
    assert sandbox.state.pending_updates() == []  # all confirmed, the broken one too
    async with services.sessions() as session:
        stored = list(await session.scalars(select(InboxUpdate.update_id)))
    assert broken.update_id not in stored and len(stored) == 2
    assert f"update {broken.update_id} could not be read; skipped" in caplog.text
    assert SECRET_WORDS not in caplog.text
