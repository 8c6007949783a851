"""How the bot's calls reach the Bot API: python-telegram-bot's request interface over
aiohttp's client.

python-telegram-bot's default transport (httpx, httpcore, h11) is pure Python: building
a request, parsing the response and the pool's bookkeeping cost about a millisecond of
CPU a call, the larger part of what a button press costs (docs/performance.md).
aiohttp parses HTTP in C and keeps its pool cheaply. Errors are told to
python-telegram-bot as its own transport tells them: a time-out as ``TimedOut``, any
other failure to get an answer as ``NetworkError``; what Telegram answered (429, 5xx,
403, ...) is left to python-telegram-bot's request wrapper, as before. An error's text
never carries the URL: it holds the bot's token."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit
from urllib.request import getproxies, proxy_bypass

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

JSON = "application/json"


class AiohttpRequest(BaseRequest):
    """One aiohttp session; at most ``pool_size`` connections, ``keepalive`` seconds idle.

    The time-outs are python-telegram-bot's defaults (5 s each; a long poll adds its own
    wait to the read time-out). Waiting for a free connection counts as connecting."""

    __slots__ = (
        "_connect",
        "_keepalive",
        "_pool_size",
        "_proxies",
        "_read",
        "_session",
        "_write",
    )

    def __init__(
        self,
        pool_size: int = 256,
        keepalive: float = 30.0,
        connect_timeout: float = 5.0,
        read_timeout: float = 5.0,
        write_timeout: float = 5.0,
    ) -> None:
        self._pool_size = pool_size
        self._keepalive = keepalive
        self._connect = connect_timeout
        self._read = read_timeout
        self._write = write_timeout
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[tuple[str, str], str | None] = {}

    @property
    def read_timeout(self) -> float | None:
        return self._read

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(
                limit=self._pool_size, keepalive_timeout=self._keepalive
            )
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT}
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        timeout = aiohttp.ClientTimeout(
            sock_connect=_or(connect_timeout, self._connect),
            connect=_or(pool_timeout, self._connect) + _or(connect_timeout, self._connect),
            sock_read=_or(read_timeout, self._read) + _or(write_timeout, self._write),
        )
        body: dict[str, Any] = {}
        if request_data is not None:
            files = request_data.multipart_data
            if files:
                body["data"] = _form(request_data.json_parameters, files)
            else:
                body["data"] = request_data.json_payload
                body["headers"] = {"Content-Type": JSON}
        body["proxy"] = self._proxy_for(url)
        try:
            async with self._session.request(method, url, timeout=timeout, **body) as response:
                return response.status, await response.read()
        except TimeoutError as exc:
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            # The class only: some of aiohttp's errors name the URL, and the URL holds
            # the bot's token.
            raise NetworkError(f"aiohttp.{type(exc).__name__}") from exc

    def _proxy_for(self, url: str) -> str | None:
        """The proxy the environment names for the URL's host (HTTPS_PROXY, NO_PROXY, ...),
        as python-telegram-bot's default transport (httpx) used it; looked up once a host.
        (aiohttp's own ``trust_env`` looks in two threads on every call: too dear.)"""
        parts = urlsplit(url)
        key = (parts.scheme, parts.hostname or "")
        if key not in self._proxies:
            bypass = bool(parts.hostname) and proxy_bypass(parts.hostname or "")
            self._proxies[key] = None if bypass else getproxies().get(parts.scheme)
        return self._proxies[key]


def _or(given: ODVInput[float], default: float) -> float:
    if isinstance(given, DefaultValue) or given is None:
        return default
    return float(given)


def _form(fields: dict[str, str], files: dict[str, Any]) -> aiohttp.FormData:
    form = aiohttp.FormData()
    for name, value in fields.items():
        form.add_field(name, value)
    for name, part in files.items():
        if isinstance(part, tuple):  # (file name, content, mime type)
            filename, content, *rest = part
            form.add_field(name, content, filename=filename, content_type=rest[0] if rest else None)
        else:
            form.add_field(name, part)
    return form
