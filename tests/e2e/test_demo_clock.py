"""The demo's clock bar over HTTP: what comes next, jumping to it, moving on, bad requests."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp

from bot.demo.run import demo_day, demo_world
from bot.sandbox.client import SandboxClient

KIM = 1001


async def clock(session: aiohttp.ClientSession, url: str, body: Any = None) -> tuple[int, Any]:
    if body is None:
        async with session.get(f"{url}/demo/api/clock") as reply:
            return reply.status, await reply.json()
    async with session.post(f"{url}/demo/api/clock", json=body) as reply:
        return reply.status, await reply.json()


def kinds(view: dict[str, Any]) -> list[str]:
    return [event["kind"] for event in view["events"]]


def local(view: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(view["now"])


async def test_walking_through_a_day_with_the_clock_bar(tmp_path: Path) -> None:
    database = str(tmp_path / "demo.sqlite")
    async with (
        demo_world(port=0, database=database, lead=timedelta(minutes=10)) as (sandbox, _),
        SandboxClient(sandbox.url) as people,
        aiohttp.ClientSession() as session,
    ):
        url = str(sandbox.url)
        status, view = await clock(session, url)
        assert status == 200 and local(view).strftime("%H:%M") == "07:50"
        assert kinds(view) == ["morning", "end_of_day", "staff_summary", "review"]
        assert view["events"][0]["label"] == "Morgonlistan kl 08:00"
        day = local(view).date()

        status, view = await clock(session, url, {"to": "morning"})
        assert status == 200 and local(view).strftime("%H:%M:%S") == "08:00:01"
        await people.wait_for(KIM, lambda m: m.text.startswith("God morgon Kim!"))

        status, view = await wait_for_kind(session, url, "reminder")
        reminder = next(e for e in view["events"] if e["kind"] == "reminder")
        assert reminder["label"] == "En påminnelse kl 09:00"
        status, view = await clock(session, url, {"to": "reminder"})
        assert local(view).strftime("%H:%M") == "09:00"
        await people.wait_for(KIM, lambda m: m.text == "Nu är det dags: Vattna blommorna.")

        before = local(view)
        status, view = await clock(session, url, {"minutes": 60})
        assert status == 200 and timedelta(minutes=60) <= local(view) - before < timedelta(
            minutes=61
        )

        status, view = await clock(session, url, {"to": "end_of_day"})
        assert local(view).strftime("%H:%M") == "15:30"
        await people.wait_for(KIM, lambda m: "imorgon" in m.text.lower() and "idag" in m.text)

        status, view = await clock(session, url, {"to": "morning"})
        next_day = local(view).date()
        assert next_day > day and local(view).strftime("%H:%M") == "08:00"
        lists = await people.wait_for(
            KIM, lambda m: m.text.startswith("God morgon Kim!") and m.message_id > 3
        )
        assert lists.buttons()[:2] == ["1. Vattna blommorna", "2. Packa kaffepaket"]


async def wait_for_kind(
    session: aiohttp.ClientSession, url: str, kind: str
) -> tuple[int, dict[str, Any]]:
    """The reminders are made on the clock's next tick after the list is sent."""
    for _ in range(100):
        status, view = await clock(session, url)
        if kind in kinds(view):
            return status, view
        await asyncio.sleep(0.1)
    raise AssertionError(f"no {kind} event came: {view}")


async def test_bad_clock_requests_are_refused_and_move_nothing(tmp_path: Path) -> None:
    database = str(tmp_path / "demo.sqlite")
    async with (
        demo_world(port=0, database=database, lead=timedelta(minutes=10)) as (sandbox, _),
        aiohttp.ClientSession() as session,
    ):
        url = str(sandbox.url)
        _, before = await clock(session, url)
        bad: list[tuple[Any, str]] = [
            ({"minutes": 0}, "minutes out of range"),
            ({"minutes": 60 * 24 + 1}, "minutes out of range"),
            ({"minutes": "15"}, "minutes must be an integer"),
            ({"minutes": True}, "minutes must be an integer"),
            ({"to": "lunch"}, "to must be next or one of"),
            ([1, 2], "the body must be a JSON object"),
        ]
        for body, error in bad:
            status, reply = await clock(session, url, body)
            assert status == 400 and error in reply["error"], body
        async with session.post(f"{url}/demo/api/clock", data=b"not json") as reply:
            assert reply.status == 400
        _, after = await clock(session, url)
        assert local(after) - local(before) < timedelta(seconds=5)


def test_the_demo_day_is_a_working_day() -> None:
    assert demo_day(date(2026, 11, 23)) == date(2026, 11, 23)  # a Monday
    assert demo_day(date(2026, 11, 28)) == date(2026, 11, 30)  # Saturday: Monday
    assert demo_day(date(2026, 12, 25)) == date(2026, 12, 28)  # Christmas Day: Monday
