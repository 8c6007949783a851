"""Vardag's own small web server for webhook mode (python-telegram-bot's "custom webhook
bot" pattern): Telegram's updates on the webhook path, and two probes beside them.

* ``POST /<VARDAG_WEBHOOK_PATH>``: an update, only with the secret token in
  ``X-Telegram-Bot-Api-Secret-Token`` (otherwise 403 and nothing is processed). The
  update is stored in the inbox before the answer 200, and processed from there
  (bot/runtime/intake.py); when it cannot be stored the answer is 503, and Telegram sends it again.
* ``GET /healthz``: 200 while the process runs (liveness).
* ``GET /readyz``: 200 when the database answers and its migrations are at head, with
  whether this instance leads; otherwise 503 and the reason (bot/runtime/health.py).

Nothing here logs a request's body, and the access log is off (the path and the callers
are of no use in the logs).
"""

from __future__ import annotations

import hmac
import logging

from aiohttp import web

from bot.config import ConfigError
from bot.runtime.app import VardagApp
from bot.runtime.health import Health
from bot.runtime.intake import intake_of

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
PROBES = ("/healthz", "/readyz")
# Telegram's updates are small; a document arrives as a file id, not its bytes.
MAX_BODY_BYTES = 1024 * 1024


def route(path: str) -> str:
    """``telegram`` or ``/telegram/`` → ``/telegram``; the probes' paths are taken."""
    normalised = "/" + path.strip("/")
    if normalised in PROBES or normalised == "/":
        raise ConfigError(f"VARDAG_WEBHOOK_PATH is invalid: {path!r} is taken; use e.g. telegram.")
    return normalised


class WebhookServer:
    def __init__(self, application: VardagApp, *, path: str, secret: str, health: Health) -> None:
        self._application = application
        self._intake = intake_of(application)
        self._secret = secret.encode()
        self._health = health
        self.path = route(path)
        self._runner: web.AppRunner | None = None

    def web_app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY_BYTES)
        app.router.add_post(self.path, self._update)
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/readyz", self._readyz)
        return app

    async def start(self, listen: str, port: int) -> None:
        self._runner = web.AppRunner(self.web_app(), access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, listen, port).start()
        log.info("webhook server listening on %s:%s", listen, port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _update(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            log.warning("refused a webhook call without the right secret token")
            return web.Response(status=403)
        try:
            data = await request.json()
        except (ValueError, UnicodeDecodeError, RecursionError):  # nested too deep, too
            log.warning("refused a webhook call that was not JSON")
            return web.Response(status=400)
        try:
            update = self._intake.parse(data)
        except ValueError:  # not an update: say so, without what it held
            log.warning("refused a webhook call that was not an update")
            return web.Response(status=400)
        try:
            await self._intake.receive(data, update)
        except Exception as exc:  # not stored: not acknowledged, so Telegram sends it again
            log.warning(
                "could not store an update (%s); Telegram will send it again", type(exc).__name__
            )
            return web.Response(status=503)
        return web.Response()

    async def _healthz(self, _request: web.Request) -> web.Response:
        return web.json_response({"status": "alive"})

    async def _readyz(self, _request: web.Request) -> web.Response:
        readiness = await self._health.readiness()
        return web.json_response(readiness.body, status=200 if readiness.ready else 503)
