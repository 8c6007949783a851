"""The demo's web page: phones side by side and a clock bar, served by the sandbox.

The page is static files (``bot/demo/web/``) and talks to two kinds of routes: the
sandbox's own people routes (``/sandbox/...``, exactly what a test uses to act as a
person, so the bot cannot tell the page from Telegram) and the few ``/demo/api/...``
routes here, which tell the page who is in the demo, its texts, and move the clock.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.context import Services
from bot.demo.events import Event, EventKind, forward, jump_to, upcoming_events
from bot.demo.seed import PEOPLE, DemoPerson
from bot.i18n import Texts
from bot.rules.clock import MovableClock
from storage.models import Role

STATIC = Path(__file__).parent / "web"
DEFAULT_PHONES = ("kim", "anna", "johan")
PAGE_KEYS = (
    "title", "intro", "clock", "next", "jump.morning", "jump.reminder", "jump.end_of_day",
    "forward.15", "forward.60", "nothing_next", "placeholder", "send", "photo", "location",
    "reply", "replying", "cancel_reply", "voice", "video", "document", "location_card",
    "edited", "empty", "error", "starting", "footer",
)  # fmt: skip
ROLE_KEYS = {Role.COWORKER: "role.coworker", Role.SUPPORT: "role.support", Role.ADMIN: "role.admin"}


@dataclass
class DemoWeb:
    """The routes of the page; ``services`` is set once the bot's runtime is open."""

    clock: MovableClock
    texts: Texts
    services: Services | None = None
    people: tuple[DemoPerson, ...] = field(default=PEOPLE)

    def routes(self) -> list[web.AbstractRouteDef]:
        return [
            web.get("/", self._to_page),
            web.get("/demo", self._to_page),
            web.get("/demo/", self._page),
            web.static("/demo/static", STATIC),
            web.get("/demo/api/setup", self._setup),
            web.get("/demo/api/clock", self._clock),
            web.post("/demo/api/clock", self._move_clock),
        ]

    async def _to_page(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound("/demo/")

    async def _page(self, request: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC / "index.html")

    async def _setup(self, request: web.Request) -> web.Response:
        t = self.texts
        texts = {key: t.template(f"demo.web.{key}") for key in PAGE_KEYS}
        phones = [
            {
                "key": person.key,
                "name": person.name,
                "user_id": person.telegram_id,
                "role": t(ROLE_KEYS[person.role]),
            }
            for person in self.people
        ]
        return web.json_response(
            {
                "language": t.language,
                "texts": texts,
                "phones": phones,
                "default_phones": list(DEFAULT_PHONES),
            }
        )

    async def _clock(self, request: web.Request) -> web.Response:
        services = self._services()
        events = await upcoming_events(services)
        return web.json_response(self._clock_view(services, events))

    async def _move_clock(self, request: web.Request) -> web.Response:
        services = self._services()
        try:
            body: Any = await request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise _bad("the body must be a JSON object")
        if "minutes" in body:
            minutes = body["minutes"]
            if not isinstance(minutes, int) or isinstance(minutes, bool):
                raise _bad("minutes must be an integer")
            try:
                forward(self.clock, minutes)
            except ValueError as exc:
                raise _bad(str(exc)) from None
        else:
            kind = body.get("to")
            if kind not in (None, "next", *EventKind):
                raise _bad(f"to must be next or one of {', '.join(EventKind)}")
            chosen = None if kind in (None, "next") else EventKind(kind)
            await jump_to(services, self.clock, chosen)
        return web.json_response(self._clock_view(services, await upcoming_events(services)))

    def _services(self) -> Services:
        if self.services is None:
            raise web.HTTPServiceUnavailable(
                text=_error("starting"), content_type="application/json"
            )
        return self.services

    def _clock_view(self, services: Services, events: list[Event]) -> dict[str, Any]:
        local = services.now().astimezone(services.zone)
        return {
            "now": local.isoformat(),
            "label": f"{self.texts.day_in_words(local.date())} {local:%H:%M}",
            "events": [self._event_view(services, event) for event in events],
        }

    def _event_view(self, services: Services, event: Event) -> dict[str, Any]:
        local = event.at.astimezone(services.zone)
        same_day = local.date() == services.today()
        day = "" if same_day else f"{self.texts.day_in_words(local.date())} "
        when = f"{day}{local:%H:%M}"
        return {
            "kind": event.kind.value,
            "at": local.isoformat(),
            "label": self.texts.plain(
                "demo.web.next_is", what=self.texts.plain(f"demo.web.kind.{event.kind}"), when=when
            ),
        }


def _error(reason: str) -> str:
    return json.dumps({"ok": False, "error": reason})


def _bad(reason: str) -> web.HTTPBadRequest:
    return web.HTTPBadRequest(text=_error(reason), content_type="application/json")
