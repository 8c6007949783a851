"""The Bot API over aiohttp (bot/telegram/transport.py), against a small local HTTP
server: calls and uploads arrive as Telegram expects them; a slow answer is
python-telegram-bot's ``TimedOut``, a server that is not there its ``NetworkError``
(without the URL, which holds the token); what Telegram answers with an error is
python-telegram-bot's as before (429 a ``RetryAfter``, 403 ``Forbidden``)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from telegram import Bot
from telegram.error import Forbidden, NetworkError, RetryAfter, TimedOut

from bot.telegram.transport import AiohttpRequest

TOKEN = "123456:secret-token-never-in-an-error"


def ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


async def serve(seen: list[dict[str, Any]]) -> web.Application:
    async def method(request: web.Request) -> web.StreamResponse:
        name = request.match_info["method"]
        if request.content_type == "multipart/form-data":
            form = await request.post()
            fields = {k: getattr(v, "filename", v) for k, v in form.items()}
            upload = form["document"]
            assert isinstance(upload, web.FileField)
            fields["content"] = upload.file.read().decode()
            seen.append({"method": name, **fields})
        else:
            seen.append({"method": name, **(await request.json())})
        match name:
            case "getMe":
                return ok({"id": 1, "is_bot": True, "first_name": "Vardag", "username": "v"})
            case "sendChatAction":
                await asyncio.sleep(2)  # longer than the client waits
                return ok(True)
            case "sendMessage":
                body = {"ok": False, "error_code": 429, "description": "Too Many Requests"}
                return web.json_response(body | {"parameters": {"retry_after": 7}}, status=429)
            case "deleteMessage":
                body = {"ok": False, "error_code": 403, "description": "Forbidden: blocked"}
                return web.json_response(body, status=403)
            case _:
                chat = {"id": 5, "type": "private"}
                return ok(
                    {
                        "message_id": 9,
                        "date": 0,
                        "chat": chat,
                        "document": {"file_id": "f", "file_unique_id": "u"},
                    }
                )

    app = web.Application()
    app.router.add_post("/bot{token}/{method}", method)
    return app


@pytest.fixture
async def api() -> AsyncIterator[tuple[str, list[dict[str, Any]]]]:
    seen: list[dict[str, Any]] = []
    runner = web.AppRunner(await serve(seen))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}/bot", seen
    finally:
        await runner.cleanup()


def bot_at(base_url: str, **timeouts: float) -> Bot:
    return Bot(TOKEN, base_url=base_url, request=AiohttpRequest(**timeouts))


async def test_a_call_and_an_upload_arrive_as_telegram_expects(
    api: tuple[str, list[dict[str, Any]]],
) -> None:
    url, seen = api
    async with bot_at(url) as bot:  # initialize() asks getMe
        sent = await bot.send_document(5, b"hej", filename="lista.txt", caption="Din lista")
    assert bot.username == "v"
    assert sent.message_id == 9 and sent.chat.id == 5
    assert seen[-1] == {
        "method": "sendDocument",
        "chat_id": "5",
        "caption": "Din lista",
        "document": "lista.txt",
        "content": "hej",
    }


async def test_telegrams_errors_are_python_telegram_bots(
    api: tuple[str, list[dict[str, Any]]],
) -> None:
    url, seen = api
    async with bot_at(url) as bot:
        with pytest.raises(RetryAfter) as limited:
            await bot.send_message(5, "Hej")
        with pytest.raises(Forbidden):
            await bot.delete_message(5, 9)
    assert limited.value.retry_after.total_seconds() == 7
    assert seen[-2] == {"method": "sendMessage", "chat_id": "5", "text": "Hej"}  # as PTB sends


async def test_a_slow_answer_is_timed_out(api: tuple[str, list[dict[str, Any]]]) -> None:
    url, _ = api
    async with bot_at(url, read_timeout=0.2, write_timeout=0.0) as bot:
        with pytest.raises(TimedOut):
            await bot.send_chat_action(5, "typing")


async def test_no_server_is_a_network_error_that_does_not_name_the_url() -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    bot = bot_at(f"http://127.0.0.1:{port}/bot")
    request = AiohttpRequest()
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as failed:
            await request.post(f"{bot.base_url}/getMe")
    finally:
        await request.shutdown()
    assert not isinstance(failed.value, TimedOut)
    assert TOKEN not in str(failed.value) and "getMe" not in str(failed.value)


async def test_a_proxy_named_by_the_environment_is_used_unless_the_host_is_excluded(
    api: tuple[str, list[dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy, seen = api  # the local server stands in for the proxy: it answers too
    monkeypatch.setenv("HTTP_PROXY", proxy.removesuffix("/bot"))
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    async with bot_at("http://api.telegram.invalid/bot") as bot:  # no such host
        assert bot.username == "v"
    assert seen == [{"method": "getMe"}]
    monkeypatch.setenv("NO_PROXY", "api.telegram.invalid")
    with pytest.raises(NetworkError):  # asked directly: the host does not exist
        async with bot_at("http://api.telegram.invalid/bot"):
            pass
