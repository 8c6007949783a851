"""getUpdates (long polling, offsets, allowed_updates) and webhook delivery."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
import telegram
from aiohttp import web
from telegram.error import Conflict

from bot.sandbox import SandboxClient, SandboxServer
from tests.sandbox.conftest import TOKEN


async def test_long_poll_returns_an_update_sent_meanwhile(
    bot: telegram.Bot, people: SandboxClient
) -> None:
    await people.add_user(1001, "Alva")
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.1)
    assert not poll.done()
    await people.send_text(1001, "/start invite-42")
    [update] = await asyncio.wait_for(poll, 3)
    assert time.monotonic() - started < 2
    assert update.message is not None and update.message.text == "/start invite-42"
    assert update.message.from_user is not None and update.message.from_user.id == 1001
    [entity] = update.message.entities
    assert (entity.type, entity.offset, entity.length) == ("bot_command", 0, 6)


async def test_an_empty_long_poll_ends_at_its_timeout(bot: telegram.Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert 0.9 <= time.monotonic() - started < 2


async def test_offset_confirms_earlier_updates(bot: telegram.Bot, people: SandboxClient) -> None:
    await people.add_user(1001, "Alva")
    for text in ("ett", "två", "tre"):
        await people.send_text(1001, text)
    first, second, third = await bot.get_updates()
    assert [u.message.text for u in (first, second, third) if u.message] == ["ett", "två", "tre"]
    assert second.update_id == first.update_id + 1

    # Nothing is confirmed until an offset says so.
    assert len(await bot.get_updates()) == 3
    assert [u.update_id for u in await bot.get_updates(offset=second.update_id)] == [
        second.update_id,
        third.update_id,
    ]
    # "ett" is forgotten now, even without an offset.
    assert [u.update_id for u in await bot.get_updates()] == [second.update_id, third.update_id]
    # A negative offset counts from the end and forgets the rest.
    assert [u.update_id for u in await bot.get_updates(offset=-1)] == [third.update_id]
    assert [u.update_id for u in await bot.get_updates(limit=5)] == [third.update_id]
    assert await bot.get_updates(offset=third.update_id + 1) == ()


async def test_allowed_updates_filter_new_updates(bot: telegram.Bot, people: SandboxClient) -> None:
    await people.add_user(1001, "Alva")
    await people.send_text(1001, "före")
    [before] = await bot.get_updates(allowed_updates=["callback_query"])
    assert before.message is not None  # created before the filter: still delivered
    offset = before.update_id + 1

    sent = await bot.send_message(1001, "Välj", reply_markup=_one_button())
    await people.send_text(1001, "filtrerad")
    await people.press(1001, sent.message_id, data="x")
    # Absent allowed_updates keeps the previous setting.
    [only] = await bot.get_updates(offset=offset)
    assert only.callback_query is not None and only.callback_query.data == "x"
    offset = only.update_id + 1

    # An empty list restores the default (everything but chat_member and reactions).
    await bot.get_updates(offset=offset, allowed_updates=[])
    await people.send_text(1001, "syns")
    [back] = await bot.get_updates(offset=offset)
    assert back.message is not None and back.message.text == "syns"


async def test_block_and_unblock_give_my_chat_member(
    bot: telegram.Bot, people: SandboxClient
) -> None:
    await people.add_user(1001, "Alva")
    await people.send_text(1001, "hej")
    await people.block(1001)
    await people.unblock(1001)
    updates = await bot.get_updates()
    changes = [u.my_chat_member for u in updates if u.my_chat_member]
    assert [(c.old_chat_member.status, c.new_chat_member.status) for c in changes] == [
        ("member", "kicked"),
        ("kicked", "member"),
    ]
    assert changes[0].chat.id == 1001 and changes[0].from_user.id == 1001
    assert changes[0].new_chat_member.user.id == 123456789


async def test_get_updates_conflicts_while_a_webhook_is_set(bot: telegram.Bot) -> None:
    assert await bot.set_webhook("http://127.0.0.1:9/hook") is True
    with pytest.raises(Conflict) as conflict:
        await bot.get_updates()
    assert conflict.value.message == (
        "Conflict: can't use getUpdates method while webhook is active; "
        "use deleteWebhook to delete the webhook first"
    )
    info = await bot.get_webhook_info()
    assert info.url == "http://127.0.0.1:9/hook" and info.pending_update_count == 0
    assert await bot.delete_webhook() is True
    assert await bot.get_updates() == ()
    assert (await bot.get_webhook_info()).url == ""


async def test_a_second_long_poll_ends_the_first(sandbox: SandboxServer) -> None:
    async with (
        telegram.Bot(TOKEN, base_url=sandbox.bot_base_url) as first,
        telegram.Bot(TOKEN, base_url=sandbox.bot_base_url) as second,
    ):
        waiting = asyncio.create_task(first.get_updates(timeout=5))
        await asyncio.sleep(0.1)
        newer = asyncio.create_task(second.get_updates(timeout=1))
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await asyncio.wait_for(waiting, 3)
        assert await newer == ()


@dataclass
class Receiver:
    url: str
    fail_first: int
    received: list[dict[str, Any]] = field(default_factory=list)
    secrets: list[str | None] = field(default_factory=list)
    calls: int = 0
    arrived: asyncio.Event = field(default_factory=asyncio.Event)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    """A small webhook receiver that fails its first call with 500."""
    box = Receiver(url="", fail_first=1)

    async def hook(request: web.Request) -> web.Response:
        box.calls += 1
        box.secrets.append(request.headers.get("X-Telegram-Bot-Api-Secret-Token"))
        if box.calls <= box.fail_first:
            return web.Response(status=500)
        box.received.append(json.loads(await request.text()))
        box.arrived.set()
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    box.url = f"http://{host}:{port}/hook"
    try:
        yield box
    finally:
        await runner.cleanup()


async def test_webhook_delivery_with_secret_and_retry(
    bot: telegram.Bot, people: SandboxClient, receiver: Receiver
) -> None:
    await bot.set_webhook(receiver.url, secret_token="s3cret_token-1")
    await people.add_user(1001, "Alva")
    await people.send_text(1001, "via webhook")
    await asyncio.wait_for(receiver.arrived.wait(), 5)

    assert receiver.calls == 2  # the 500 was retried
    assert receiver.secrets == ["s3cret_token-1", "s3cret_token-1"]
    [body] = receiver.received
    update = telegram.Update.de_json(body, bot)
    assert update.message is not None and update.message.text == "via webhook"

    info = await bot.get_webhook_info()
    assert info.pending_update_count == 0
    assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"
    stats = await people.stats()
    assert (stats["webhook_deliveries"], stats["webhook_failures"]) == (1, 1)


async def test_raw_http_shapes(sandbox: SandboxServer) -> None:
    """Errors as Telegram sends them, for JSON bodies, forms and GET query strings."""
    base = sandbox.bot_base_url
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{base}123456789:wrong-token/getMe") as response:
            assert response.status == 401
            assert await response.json() == {
                "ok": False,
                "error_code": 401,
                "description": "Unauthorized",
            }
        async with http.get(f"{base}{TOKEN}/noSuchMethod") as response:
            assert response.status == 404
            assert (await response.json())["description"] == "Not Found"
        async with http.get(f"{base}{TOKEN}/GETME") as response:
            assert (await response.json())["result"]["username"] == "VardagBot"
        async with http.get(f"{base}{TOKEN}/getUpdates?timeout=0&limit=5") as response:
            assert await response.json() == {"ok": True, "result": []}
        async with http.post(f"{base}{TOKEN}/sendMessage", json={"chat_id": 5}) as response:
            assert response.status == 400
            assert (await response.json())["description"] == "Bad Request: message text is empty"
        form = {"chat_id": "5", "text": "<b>x", "parse_mode": "HTML"}
        async with http.post(f"{base}{TOKEN}/sendMessage", data=form) as response:
            assert await response.json() == {
                "ok": False,
                "error_code": 400,
                "description": "Bad Request: can't parse entities: "
                "Can't find end tag corresponding to start tag b",
            }
        async with http.post(f"{base}{TOKEN}/setWebhook", json={"url": "not a url"}) as response:
            assert (await response.json())["description"] == (
                "Bad Request: invalid webhook URL specified"
            )
        async with http.post(f"{base}{TOKEN}/deleteWebhook") as response:
            assert await response.json() == {
                "ok": True,
                "result": True,
                "description": "Webhook is already deleted",
            }


async def test_429_body_has_retry_after(sandbox: SandboxServer, people: SandboxClient) -> None:
    await people.add_user(1001, "Alva")
    await people.send_text(1001, "hej")
    await people.set_limits(chat_burst=1, chat_per_second=0.5)
    url = f"{sandbox.bot_base_url}{TOKEN}/sendMessage"
    async with aiohttp.ClientSession() as http:
        async with http.post(url, json={"chat_id": 1001, "text": "1"}) as response:
            assert response.status == 200
        async with http.post(url, json={"chat_id": 1001, "text": "2"}) as response:
            assert response.status == 429
            assert await response.json() == {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 2",
                "parameters": {"retry_after": 2},
            }


def _one_button() -> telegram.InlineKeyboardMarkup:
    return telegram.InlineKeyboardMarkup([[telegram.InlineKeyboardButton("X", callback_data="x")]])
