"""``GET /sandbox/files/<file_id>``: a page showing a chat gets a file's bytes (or a drawn
placeholder), and a person can send a picture's own bytes."""

from __future__ import annotations

import base64

import aiohttp
import pytest
import telegram
from aiohttp import web

from bot.sandbox import SandboxClient, SandboxServer

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


async def get(sandbox: SandboxServer, path: str) -> tuple[int, str, bytes]:
    async with aiohttp.ClientSession() as session, session.get(f"{sandbox.url}{path}") as reply:
        return reply.status, reply.content_type, await reply.read()


async def test_a_persons_picture_comes_back_as_sent(
    sandbox: SandboxServer, people: SandboxClient, bot: telegram.Bot
) -> None:
    await people.add_user(1001, "Alva")
    await people.send_photo(1001, data=PNG)
    [photo] = await people.messages(1001)
    assert photo.photo is not None

    status, content_type, body = await get(sandbox, f"/sandbox/files/{photo.photo}")
    assert (status, content_type, body) == (200, "image/png", PNG)
    [update] = await bot.get_updates()
    assert update.message is not None and update.message.photo[-1].file_size == len(PNG)


async def test_a_file_without_bytes_is_drawn_and_an_unknown_one_is_not_found(
    sandbox: SandboxServer, people: SandboxClient
) -> None:
    await people.add_user(1001, "Alva")
    await people.send_photo(1001)
    [photo] = await people.messages(1001)

    status, content_type, body = await get(sandbox, f"/sandbox/files/{photo.photo}")
    assert (status, content_type) == (200, "image/svg+xml")
    assert body.startswith(b"<svg") and b'width="800"' in body
    status, _, body = await get(sandbox, "/sandbox/files/no-such-file")
    assert status == 404 and b"no such file" in body


@pytest.mark.parametrize(
    ("data", "error"),
    [("not base64!", "data is not valid base64"), ("", "data is empty"), (12, "base64 string")],
)
async def test_bad_picture_bytes_are_refused_and_nothing_is_sent(
    sandbox: SandboxServer, people: SandboxClient, data: object, error: str
) -> None:
    await people.add_user(1001, "Alva")
    url = f"{sandbox.url}/sandbox/users/1001/messages"
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json={"photo": {"data": data}}) as reply,
    ):
        assert reply.status == 400
        assert error in (await reply.json())["error"]
    assert await people.messages(1001) == []


async def test_routes_are_added_before_the_start_only(sandbox: SandboxServer) -> None:
    async def hello(request: web.Request) -> web.Response:
        return web.Response(text="hej")

    with pytest.raises(RuntimeError, match="before the sandbox starts"):
        sandbox.add_routes([web.get("/hello", hello)])
    fresh = SandboxServer()
    fresh.add_routes([web.get("/hello", hello)])
    async with fresh:
        status, _, body = await get(fresh, "/hello")
    assert (status, body) == (200, b"hej")
