"""Webhook delivery: pending updates POSTed one by one, in order, to the bot's URL.

As Telegram does, an update leaves the queue only when the receiver answers 2xx; until
then it is retried with a growing back-off, and the last error shows in getWebhookInfo.
"""

from __future__ import annotations

import asyncio
import contextlib
import json

import aiohttp

from bot.sandbox.models import Update, Webhook
from bot.sandbox.state import SandboxState

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookDeliverer:
    def __init__(
        self,
        state: SandboxState,
        *,
        min_backoff: float = 0.05,
        max_backoff: float = 2.0,
        request_timeout: float = 10.0,
    ) -> None:
        self.state = state
        self.min_backoff = min_backoff
        self.max_backoff = max_backoff
        self.request_timeout = request_timeout
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None

    def start(self) -> None:
        if self._task is None:
            self._session = aiohttp.ClientSession()
            self._task = asyncio.create_task(self._run(), name="sandbox-webhook")
            self.state.add_update_listener(self._on_update)
            self._wake.set()

    async def stop(self) -> None:
        self.state.remove_update_listener(self._on_update)
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        session, self._session = self._session, None
        if session is not None:
            await session.close()

    def wake(self) -> None:
        self._wake.set()

    def _on_update(self, update: Update) -> None:
        del update
        self._wake.set()

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            await self._drain()

    async def _drain(self) -> None:
        backoff = self.min_backoff
        state = self.state
        while True:
            hook = state.webhook
            pending = state.pending_updates()
            if not hook.url or not pending:
                return
            update = pending[0]
            error = await self._post(hook, update)
            if error is None:
                state.confirm(update.update_id)
                state.counters.webhook_deliveries += 1
                backoff = self.min_backoff
                continue
            state.counters.webhook_failures += 1
            hook.last_error_date = state.now()
            hook.last_error_message = error
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, self.max_backoff)

    async def _post(self, hook: Webhook, update: Update) -> str | None:
        """POST one update; ``None`` on success, else the error as getWebhookInfo shows it."""
        assert self._session is not None
        headers = {"Content-Type": "application/json"}
        if hook.secret_token:
            headers[SECRET_HEADER] = hook.secret_token
        body = json.dumps(update.to_json(), ensure_ascii=False).encode()
        timeout = aiohttp.ClientTimeout(total=self.request_timeout)
        try:
            async with self._session.post(
                hook.url, data=body, headers=headers, timeout=timeout
            ) as response:
                await response.read()
                if 200 <= response.status < 300:
                    return None
                return f"Wrong response from the webhook: {response.status} {response.reason}"
        except TimeoutError:
            return "Read timeout expired"
        except aiohttp.ClientConnectorError:
            return "Connection refused"
        except aiohttp.ClientError as exc:
            return f"Connection error: {exc.__class__.__name__}"
