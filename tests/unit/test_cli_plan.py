"""``vardag plan``: a task on repeat, a task once, drafting and showing a list."""

from __future__ import annotations

import pytest
import typer
from sqlalchemy import select

from bot.cli import groups as cli_groups
from bot.cli import plan as cli_plan
from bot.context import Services
from bot.services.catalogue.importer import import_catalogue
from bot.services.catalogue.parse import parse_catalogue
from bot.services.people import invites
from bot.services.people.organisation import find_coworker
from storage.models import AuditEntry, Role
from tests.conftest import Database
from tests.unit import test_cli_org
from tests.unit.test_cli_org import Vardag

CATALOGUE = """
tasks:
  - title: Vattna blommorna
    steps: [Hämta kannan.]
  - title: Packa kaffe
    strain: tung
    steps: [Väg upp.]
"""


def assemble() -> typer.Typer:
    app = typer.Typer(no_args_is_help=True, add_completion=False)
    app.add_typer(cli_groups.group_app, name="group")
    app.add_typer(cli_plan.plan_app, name="plan")
    return app


@pytest.fixture
def vardag(database: Database, monkeypatch: pytest.MonkeyPatch) -> Vardag:
    monkeypatch.setattr(test_cli_org, "APP", assemble())
    return Vardag(database, monkeypatch)


async def test_plan_on_repeat_and_once(vardag: Vardag, services: Services) -> None:
    async with services.sessions.begin() as session:
        await invites.create_invite(
            services, session, role=Role.COWORKER, name="Kim", group_name="Rutt 1"
        )
        specs = parse_catalogue(CATALOGUE)
        await import_catalogue(services, session, specs, author=None)

    out = await vardag(
        "plan",
        "repeat",
        "kim",
        "vattna blommorna",
        "--days",
        "mon,wed",
        "--from",
        "2026-11-23",
        "--time",
        "09:00",
    )
    assert out.startswith("Planned (#1): FREQ=WEEKLY;BYDAY=MO,WE")
    assert await vardag("plan", "once", "Kim", "Packa kaffe", "--date", "2026-11-25") == (
        "The task is on the list for 2026-11-25.\n"
    )
    assert await vardag("plan", "once", "Kim", "#1", "--date", "2026-11-27") == (
        "The task is on the list for 2026-11-27.\n"
    )
    assert await vardag("plan", "draft", "Kim", "--date", "2026-11-25") == (
        "The draft is updated.\n"
    )
    shown = await vardag("plan", "show", "Kim", "--date", "2026-11-25")
    assert shown.splitlines()[0] == "Kim, 2026-11-25 (draft):"
    assert "Vattna blommorna (new) at 09:00" in shown and "Packa kaffe (new)" in shown
    assert await vardag("plan", "draft", "Kim", "--date", "2026-11-25") == (
        "The draft was already done; nothing changed.\n"
    )
    assert await vardag("plan", "show", "Kim", "--date", "2026-11-26") == (
        "Kim has no tasks on 2026-11-26.\n"
    )


async def test_wrong_input_is_one_line(vardag: Vardag, services: Services) -> None:
    async with services.sessions.begin() as session:
        await invites.create_invite(
            services, session, role=Role.COWORKER, name="Kim", group_name="Rutt 1"
        )
    assert await vardag.refused("plan", "once", "Kim", "Nothing") == (
        "There is no task Nothing in the catalogue."
    )
    assert await vardag.refused("plan", "once", "Kim", "#99") == (
        "There is no task #99 in the catalogue."
    )
    assert (await vardag.refused("plan", "repeat", "Kim", "x", "--days", "funday")).startswith(
        "Unknown days"
    )
    assert await vardag.refused("plan", "show", "Nobody") != ""
    assert (await vardag.refused("plan", "show", "Kim", "--date", "soon")).startswith("Unknown")


async def test_capacity_is_seen_and_set_in_plain_words_and_audited(
    vardag: Vardag, services: Services
) -> None:
    async with services.sessions.begin() as session:
        await invites.create_invite(
            services, session, role=Role.COWORKER, name="Kim", group_name="Rutt 1"
        )
        await import_catalogue(services, session, parse_catalogue(CATALOGUE), author=None)
    assert await vardag("plan", "capacity", "Kim") == "Kim: usual day (6 points a day).\n"
    await vardag("plan", "once", "Kim", "Packa kaffe", "--date", "2026-11-25")
    await vardag("plan", "once", "Kim", "Vattna blommorna", "--date", "2026-11-25")
    await vardag("plan", "draft", "Kim", "--date", "2026-11-25")
    assert "Packa kaffe" in await vardag("plan", "show", "Kim", "--date", "2026-11-25")

    assert await vardag("plan", "capacity", "Kim", "3") == "Kim: light day (3 points a day).\n"
    # The draft is drafted again at once: the heavy task no longer fits the light day.
    shown = await vardag("plan", "show", "Kim", "--date", "2026-11-25")
    assert "Vattna blommorna" in shown and "Packa kaffe" not in shown
    assert "Packa kaffe" in await vardag("plan", "show", "Kim", "--date", "2026-11-26")
    assert await vardag("plan", "capacity", "Kim", "9") == "Kim: full day (9 points a day).\n"
    assert await vardag.refused("plan", "capacity", "Kim", "0") == (
        "Stamina is a number from 1 to 12."
    )
    async with services.sessions() as session:
        entries = list(
            await session.scalars(
                select(AuditEntry.detail)
                .where(AuditEntry.action == "plan.capacity")
                .order_by(AuditEntry.id)
            )
        )
        kim = await find_coworker(session, "Kim")
    assert entries == ["6 -> 3", "3 -> 9"]
    assert kim.capacity == 9


async def test_recurring_tasks_are_listed_paused_changed_and_ended(
    vardag: Vardag, services: Services
) -> None:
    """On the command line, audited; drafts follow at once, and drafting honours pauses."""
    async with services.sessions.begin() as session:
        await invites.create_invite(
            services, session, role=Role.COWORKER, name="Kim", group_name="Rutt 1"
        )
        await import_catalogue(services, session, parse_catalogue(CATALOGUE), author=None)
    assert await vardag("plan", "repeats", "list", "Kim") == "Kim has no recurring tasks.\n"
    await vardag("plan", "repeat", "Kim", "Vattna blommorna", "--from", "2026-11-23")
    await vardag("plan", "repeat", "Kim", "Packa kaffe", "--days", "wed", "--time", "10:00")
    assert await vardag("plan", "repeats", "list", "Kim") == (
        "#1 Vattna blommorna: every weekday\n#2 Packa kaffe: every Wednesday at 10:00\n"
    )
    await vardag("plan", "draft", "Kim", "--date", "2026-11-25")

    out = await vardag(
        "plan", "repeats", "pause", "Kim", "vattna blommorna", "--from", "2026-11-25",
        "--to", "2026-11-27",
    )  # fmt: skip
    assert out == "#1 Vattna blommorna: every weekday (paused 25/11–27/11)\n"
    assert "Vattna" not in await vardag("plan", "show", "Kim", "--date", "2026-11-25")
    await vardag("plan", "draft", "Kim", "--date", "2026-11-26")
    assert "Vattna" not in await vardag("plan", "show", "Kim", "--date", "2026-11-26")
    await vardag("plan", "draft", "Kim", "--date", "2026-11-30")
    assert "Vattna" in await vardag("plan", "show", "Kim", "--date", "2026-11-30")

    out = await vardag("plan", "repeats", "change", "Kim", "#2", "--days", "wed,thu", "--no-time")
    assert out == "#2 Packa kaffe: every Wednesday and Thursday\n"
    shown = await vardag("plan", "show", "Kim", "--date", "2026-11-25")
    assert "Packa kaffe (new)" in shown and "10:00" not in shown
    out = await vardag("plan", "repeats", "change", "Kim", "#2", "--time", "13:30")
    assert out == "#2 Packa kaffe: every Wednesday and Thursday at 13:30\n"
    assert "13:30" in await vardag("plan", "show", "Kim", "--date", "2026-11-25")

    assert await vardag("plan", "repeats", "resume", "Kim", "#1") == (
        "#1 Vattna blommorna: every weekday\n"
    )
    assert "Vattna" in await vardag("plan", "show", "Kim", "--date", "2026-11-25")
    assert await vardag("plan", "repeats", "end", "Kim", "Packa kaffe") == (
        "Packa kaffe has ended for Kim.\n"
    )
    assert "Packa" not in await vardag("plan", "show", "Kim", "--date", "2026-11-25")
    assert await vardag("plan", "repeats", "list", "Kim") == "#1 Vattna blommorna: every weekday\n"
    assert await vardag.refused("plan", "repeats", "end", "Kim", "Packa kaffe") == (
        "There is no recurring task Packa kaffe."
    )
    assert await vardag.refused(
        "plan", "repeats", "pause", "Kim", "#1", "--from", "2026-12-02", "--to", "2026-12-01"
    ) == ("A pause ends on the day it begins or later, and lasts at most 366 days.")
    async with services.sessions() as session:
        actions = list(
            await session.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.action.like("plan.repeat_%"))
                .order_by(AuditEntry.id)
            )
        )
    assert actions == [
        "plan.repeat_pause",
        "plan.repeat_change",
        "plan.repeat_time",
        "plan.repeat_time",
        "plan.repeat_resume",
        "plan.repeat_end",
    ]
