"""The sandbox as an aiohttp server: Telegram's Bot API on ``/bot<token>/<method>`` and the
people routes on ``/sandbox/...``.

Usage::

    server = SandboxServer(SandboxState("123456:TEST-TOKEN", bot_username="VardagBot"))
    url = await server.start()            # http://127.0.0.1:<free port>
    bot = telegram.Bot(server.state.token, base_url=f"{url}/bot")
    ...
    await server.stop()
"""

from __future__ import annotations

import json
import re
from typing import Any

from aiohttp import web

from bot.sandbox.botapi import BotApi, Described
from bot.sandbox.errors import ApiError, bad_request, not_found, unauthorized
from bot.sandbox.limits import FaultConfig, FaultInjector, LimitConfig, RateLimiter
from bot.sandbox.params import Params, UploadedFile
from bot.sandbox.people_api import PeopleApi
from bot.sandbox.state import SandboxState
from bot.sandbox.webhook import WebhookDeliverer

DEFAULT_TOKEN = "123456789:SANDBOX-token_for-Vardag"
_TOKEN = re.compile(r"\d+:[A-Za-z0-9_-]+")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
MAX_BODY = 64 * 1024 * 1024


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


async def read_params(request: web.Request) -> Params:
    """The call's parameters from the query string and the body, whatever its encoding."""
    values: dict[str, Any] = dict(request.query)
    files: dict[str, UploadedFile] = {}
    if request.method == "POST" and request.body_exists:
        content_type = request.content_type
        if content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise bad_request("can't parse JSON request body") from None
            if not isinstance(body, dict):
                raise bad_request("JSON request body must be an Object")
            values.update(body)
        elif content_type in _FORM_TYPES:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    data = value.file.read()
                    files[key] = UploadedFile(key, value.filename, value.content_type, data)
                else:
                    values[key] = value
    return Params(values, files)


class SandboxServer:
    """A local Telegram Bot API server for tests and the demo.

    Give it a ``SandboxState`` or just a token (then ``bot_username``/``bot_first_name``
    name the bot).
    """

    def __init__(
        self,
        state: SandboxState | str = DEFAULT_TOKEN,
        *,
        bot_username: str = "VardagBot",
        bot_first_name: str = "Vardag",
        limits: LimitConfig | None = None,
        faults: FaultConfig | None = None,
        webhook_min_backoff: float = 0.05,
        webhook_max_backoff: float = 2.0,
    ) -> None:
        if isinstance(state, str):
            state = SandboxState(state, bot_username, bot_first_name)
        self.state = state
        self.limiter = RateLimiter(limits)
        self.faults = FaultInjector(faults)
        self.botapi = BotApi(self.state, limiter=self.limiter, faults=self.faults)
        self.webhook = WebhookDeliverer(
            self.state, min_backoff=webhook_min_backoff, max_backoff=webhook_max_backoff
        )
        self.botapi.on_webhook_change = self.webhook.wake
        self.people = PeopleApi(self.state, self.botapi)
        self.url: str | None = None
        self._runner: web.AppRunner | None = None
        self._extra_routes: list[web.AbstractRouteDef] = []

    def add_routes(self, routes: list[web.AbstractRouteDef]) -> None:
        """Serve more routes beside the Bot API (the demo's page); only before ``start``."""
        if self._runner is not None:
            raise RuntimeError("routes must be added before the sandbox starts")
        self._extra_routes.extend(routes)

    @property
    def token(self) -> str:
        return self.state.token

    @property
    def bot_base_url(self) -> str:
        """What python-telegram-bot takes as ``base_url``."""
        if self.url is None:
            raise RuntimeError("the sandbox is not started")
        return f"{self.url}/bot"

    @property
    def bot_file_url(self) -> str:
        """What python-telegram-bot takes as ``base_file_url``."""
        if self.url is None:
            raise RuntimeError("the sandbox is not started")
        return f"{self.url}/file/bot"

    def make_app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY)
        app.add_routes(self.people.routes())
        app.add_routes(self._extra_routes)
        app.add_routes(
            [
                web.route("*", "/bot{token}/{method:.*}", self._bot_api),
                web.get("/file/bot{token}/{path:.*}", self._file),
            ]
        )
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve on ``host:port`` (0: a free port); returns the base URL."""
        if self._runner is not None:
            raise RuntimeError("the sandbox is already started")
        runner = web.AppRunner(
            self.make_app(),
            access_log=None,
            handler_cancellation=True,
            shutdown_timeout=2.0,
        )
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        self._runner = runner
        bound_host, bound_port = runner.addresses[0][:2]
        self.url = f"http://{bound_host}:{bound_port}"
        self.webhook.start()
        return self.url

    async def stop(self) -> None:
        """Answer waiting calls, stop webhook delivery, close the server."""
        self.botapi.close()
        await self.webhook.stop()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> SandboxServer:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    async def _file(self, request: web.Request) -> web.Response:
        """A file's bytes, as ``https://api.telegram.org/file/bot<token>/<file_path>``."""
        token = request.match_info["token"]
        try:
            if _TOKEN.fullmatch(token) is None:
                raise not_found()
            if token != self.state.token:
                raise unauthorized()
            stored = self.state.file_by_path(request.match_info["path"])
            if stored is None:
                raise not_found()
        except ApiError as exc:
            return web.json_response(exc.to_json(), status=exc.error_code, dumps=_dumps)
        data = self.state.file_data.get(stored.file_path)
        if data is None:
            data = f"sandbox file {stored.file_unique_id}\n".encode()
        return web.Response(body=data, content_type=stored.mime_type or "application/octet-stream")

    async def _bot_api(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        method = request.match_info["method"]
        try:
            if _TOKEN.fullmatch(token) is None or not method or "/" in method:
                raise not_found()
            if token != self.state.token:
                raise unauthorized()
            if self.botapi.method_name(method) is None:
                raise not_found()
            params = await read_params(request)
            result = await self.botapi.call(method, params)
        except ApiError as exc:
            return web.json_response(exc.to_json(), status=exc.error_code, dumps=_dumps)
        body: dict[str, Any] = {"ok": True}
        if isinstance(result, Described):
            body["result"] = result.result
            body["description"] = result.description
        else:
            body["result"] = result
        return web.json_response(body, dumps=_dumps)
