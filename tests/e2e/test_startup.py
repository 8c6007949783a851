"""Start-up survives a failing call it can do without: when Telegram answers
``setMyCommands`` with 500, ``vardag run`` keeps running and sets the command menus in
the background, with back-off, once Telegram takes them; the same for ``setWebhook`` in
webhook mode."""

from __future__ import annotations

import asyncio
import signal

from bot.context import Services
from bot.sandbox.client import SandboxClient
from bot.sandbox.server import SandboxServer
from tests.conftest import Database
from tests.e2e.conftest import cli_env
from tests.e2e.test_crash_restart import start_bot, until, webhook_env


async def default_menus(people: SandboxClient) -> dict[str, list[str]]:
    return {
        entry["language_code"]: [c["command"] for c in entry["commands"]]
        for entry in await people.commands()
        if entry["scope"] == {"type": "default"}
    }


async def test_a_failing_command_menu_does_not_stop_vardag_run(
    services: Services,  # the database, migrated
    database: Database,
    sandbox: SandboxServer,
    people: SandboxClient,
) -> None:
    await people.set_faults(rate_500=1.0, methods=["setMyCommands"])
    bot = await start_bot(cli_env(database, sandbox) | {"VARDAG_BOT_USERNAME": "B"})
    try:
        calls = sandbox.state.counters.calls
        await until(lambda: calls["setMyCommands"] >= 2 and calls["getUpdates"] >= 1, 60)
        assert bot.returncode is None  # still running, taking updates
        assert await default_menus(people) == {}

        await people.set_faults()
        async with asyncio.timeout(30):
            while await default_menus(people) != {"": ["today"], "en": ["today"]}:  # noqa: ASYNC110
                await asyncio.sleep(0.2)
    finally:
        if bot.returncode is None:
            bot.send_signal(signal.SIGTERM)
        _, errors = await bot.communicate()
    assert bot.returncode == 0, errors.decode()[-2000:]
    assert "Traceback" not in errors.decode()


async def test_a_failing_set_webhook_does_not_stop_vardag_run(
    services: Services,  # the database, migrated
    database: Database,
    sandbox: SandboxServer,
    people: SandboxClient,
) -> None:
    """Registering the webhook (setWebhook answered 500) is tried again in the background;
    meanwhile the instance runs, its own server answering (a balancer may route to it)."""
    await people.set_faults(rate_500=1.0, methods=["setWebhook"])
    env = webhook_env(cli_env(database, sandbox) | {"VARDAG_BOT_USERNAME": "B"})
    bot = await start_bot(env, "--webhook")
    try:
        calls = sandbox.state.counters.calls
        await until(lambda: calls["setWebhook"] >= 2, 60)
        assert bot.returncode is None  # still running
        assert sandbox.state.webhook.url == ""

        await people.set_faults()
        await until(lambda: sandbox.state.webhook.url == env["VARDAG_WEBHOOK_URL"], 60)
    finally:
        if bot.returncode is None:
            bot.send_signal(signal.SIGTERM)
        _, errors = await bot.communicate()
    assert bot.returncode == 0, errors.decode()[-2000:]
    assert "Traceback" not in errors.decode()
