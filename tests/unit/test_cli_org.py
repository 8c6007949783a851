"""``vardag group|contacts|rota|people``: a real group set up from scratch on the command
line, and every wrong input as one clear line and exit code 2."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta

import pytest
import typer
from typer.testing import CliRunner

from bot.cli import contacts as cli_contacts
from bot.cli import groups as cli_groups
from bot.cli import ops as cli_ops
from bot.cli import outbox as cli_outbox
from bot.cli import people as cli_people
from bot.cli import privacy as cli_privacy
from bot.cli import report as cli_report
from bot.cli import rota as cli_rota
from bot.cli import runner as cli_runner
from bot.config import ConfigError
from bot.context import Services
from bot.rules.clock import MovableClock
from bot.rules.localtime import local_moment
from bot.services.people import invites
from storage.models import Role
from tests.conftest import Database

TUESDAY_9 = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # 09:00 in Stockholm


def assemble() -> typer.Typer:
    """The sub-apps mounted the way ``vardag`` mounts them."""
    app = typer.Typer(no_args_is_help=True, add_completion=False)
    app.add_typer(cli_groups.group_app, name="group")
    app.add_typer(cli_contacts.contacts_app, name="contacts")
    app.add_typer(cli_rota.rota_app, name="rota")
    app.command("people")(cli_people.people)
    app.add_typer(cli_outbox.outbox_app, name="outbox")
    app.add_typer(cli_report.report_app, name="report")
    app.command("audit")(cli_ops.audit)
    app.command("backup")(cli_ops.backup)
    app.command("export")(cli_privacy.export)
    app.command("erase")(cli_privacy.erase)
    app.command("quiet")(cli_people.quiet)
    return app


APP = assemble()


class Vardag:
    """Runs ``vardag …`` against the test's database, at a moment the test controls.

    A ConfigError comes out as ``bot.cli.main.main`` prints it: one line on stderr, exit 2.
    """

    def __init__(self, database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
        self.env = database.env() | {"VARDAG_LANGUAGE": "en", "VARDAG_LOG_LEVEL": "WARNING"}
        self.clock = MovableClock(TUESDAY_9)
        monkeypatch.setattr(cli_runner, "clock_factory", lambda: self.clock)

    def invoke(self, *args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(APP, list(args), env=self.env, prog_name="vardag")
        if isinstance(result.exception, ConfigError):
            return 2, result.stdout, f"vardag: {result.exception}\n"
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result.exit_code, result.stdout, result.stderr

    async def __call__(self, *args: str) -> str:
        code, out, err = await asyncio.to_thread(self.invoke, *args)
        assert code == 0, (args, out, err)
        return out

    async def refused(self, *args: str) -> str:
        code, out, err = await asyncio.to_thread(self.invoke, *args)
        assert code == 2, (args, code, out, err)
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("vardag: "), err
        assert "{" not in lines[0]
        return lines[0].removeprefix("vardag: ")


@pytest.fixture
def vardag(database: Database, monkeypatch: pytest.MonkeyPatch) -> Vardag:
    return Vardag(database, monkeypatch)


async def invite(services: Services, role: Role, name: str) -> int:
    async with services.sessions.begin() as session:
        created = await invites.create_invite(services, session, role=role, name=name)
    return created.person.id


async def test_a_group_set_up_from_scratch(vardag: Vardag, services: Services) -> None:
    assert await vardag("group", "list") == "There are no groups yet.\n"
    assert await vardag("people") == "There are no people yet.\n"
    out = await vardag("group", "create", "Rutt 1", "--phone", "090-12 34 56")
    assert out == "The group Rutt 1 is created (#1).\n"

    anna = await invite(services, Role.SUPPORT, "Anna")
    bo = await invite(services, Role.SUPPORT, "Bo")
    kim = await invite(services, Role.COWORKER, "Kim")
    lo = await invite(services, Role.COWORKER, "Lo")

    assert await vardag("group", "add-staff", "Rutt 1", "Anna") == "Anna now works in Rutt 1.\n"
    assert await vardag("group", "add-staff", "rutt 1", f"#{bo}") == "Bo now works in Rutt 1.\n"
    assert await vardag("group", "move", "Kim", "Rutt 1") == "Kim now belongs to Rutt 1.\n"
    assert await vardag("group", "move", f"#{lo}", "#1") == "Lo now belongs to Rutt 1.\n"
    assert await vardag("group", "list") == (
        "#1 Rutt 1\n"
        "  Phone: 090-12 34 56\n"
        f"  Staff: Anna (#{anna}), Bo (#{bo})\n"
        f"  Co-workers: Kim (#{kim}), Lo (#{lo})\n"
    )

    assert await vardag("contacts", "show", "Kim") == "Kim has no contact persons yet.\n"
    for coworker in ("Kim", "Lo"):
        out = await vardag("contacts", "set", coworker, "--primary", "Anna", "--secondary", "Bo")
        assert out == f"{coworker}: contact person Anna, second contact person Bo.\n"
    assert await vardag("contacts", "show", "kim") == (
        "Kim: contact person Anna, second contact person Bo.\n"
    )

    out = await vardag(
        "rota", "set", "Anna", "--days", "mon-fri", "--from", "07:00", "--to", "16:00"
    )
    assert out.splitlines()[0] == "Shifts of Anna:" and len(out.splitlines()) == 6
    assert out.splitlines()[1] == "  Mon 07:00–16:00"
    await vardag("rota", "set", "Bo", "--days", "mon,wed,fri", "--from", "12:00", "--to", "20:00")
    out = await vardag(
        "rota", "set", "Bo", "--days", "sat-sun", "--from", "9:00", "--to", "13:00", "--add"
    )
    assert out.splitlines()[1:] == [
        "  Mon 12:00–20:00",
        "  Wed 12:00–20:00",
        "  Fri 12:00–20:00",
        "  Sat 09:00–13:00",
        "  Sun 09:00–13:00",
    ]
    assert await vardag("rota", "duty", "Rutt 1") == f"On duty in Rutt 1 now:\n  Anna (#{anna})\n"

    out = await vardag("rota", "away", "Anna", "--to", "2026-11-25", "--reason", "sick")
    assert out == "Anna is away from 2026-11-24 09:00 until 2026-11-26 00:00.\n"
    assert await vardag("rota", "duty", "Rutt 1") == (
        "Nobody in Rutt 1 is on duty now.\nNext on duty: 2026-11-25 12:00.\n"
    )
    await vardag("rota", "away", "Anna", "--from", "2026-12-21", "--to", "2026-12-23")
    out = await vardag("rota", "show", "Anna")
    assert out.splitlines()[6:] == [
        "Absences of Anna:",
        "  2026-11-24 09:00 – 2026-11-26 00:00 (sick)",
        "  2026-12-21 00:00 – 2026-12-24 00:00",
    ]

    vardag.clock.advance(timedelta(hours=1))
    assert await vardag("rota", "back", "Anna") == "Anna is back.\n"
    assert await vardag("rota", "duty", "Rutt 1") == f"On duty in Rutt 1 now:\n  Anna (#{anna})\n"
    out = await vardag("rota", "show", "Anna")
    assert out.splitlines()[6:] == ["Absences of Anna:", "  2026-12-21 00:00 – 2026-12-24 00:00"]

    # Christmas Day is a public holiday: nobody on duty, next on Saturday for Bo.
    vardag.clock.set(local_moment(date(2026, 12, 25), time(10), services.zone))
    assert await vardag("rota", "duty", "Rutt 1") == (
        "Nobody in Rutt 1 is on duty now.\nNext on duty: 2026-12-27 09:00.\n"
    )

    assert await vardag("people") == (
        f"#{anna}  Anna  support person  Rutt 1  joined: no  reachable: yes\n"
        f"#{bo}  Bo  support person  Rutt 1  joined: no  reachable: yes\n"
        f"#{kim}  Kim  co-worker  Rutt 1  joined: no  reachable: yes\n"
        f"#{lo}  Lo  co-worker  Rutt 1  joined: no  reachable: yes\n"
    )


async def test_every_wrong_input_is_one_clear_line(vardag: Vardag, services: Services) -> None:
    await vardag("group", "create", "Rutt 1")
    await vardag("group", "create", "Rutt 2")
    for name, role in (("Anna", Role.SUPPORT), ("Bo", Role.SUPPORT), ("Cilla", Role.SUPPORT)):
        await invite(services, role, name)
    await invite(services, Role.COWORKER, "Kim")
    sam = [await invite(services, Role.COWORKER, "Sam") for _ in range(2)]
    await vardag("group", "add-staff", "Rutt 1", "Anna")
    await vardag("group", "add-staff", "Rutt 1", "Bo")
    await vardag("group", "move", "Kim", "Rutt 1")
    await vardag("contacts", "set", "Kim", "--primary", "Anna", "--secondary", "Bo")
    await vardag("rota", "set", "Anna", "--days", "mon-fri", "--from", "07:00", "--to", "16:00")

    cases = {
        ("group", "create", "rutt 1"): "The group rutt 1 already exists.",
        (
            "group",
            "create",
            " ",
        ): "A group's name must have 1–120 characters and must not be an #id.",
        (
            "group",
            "create",
            "#5",
        ): "A group's name must have 1–120 characters and must not be an #id.",
        (
            "group",
            "create",
            "R3",
            "--phone",
            "1" * 41,
        ): "The phone number may have at most 40 characters.",
        ("group", "add-staff", "Rutt 9", "Anna"): (
            "There is no group Rutt 9. See them all with: vardag group list"
        ),
        ("group", "add-staff", "Rutt 1", "Nobody"): (
            "Nobody is called Nobody. See everyone with: vardag people"
        ),
        ("group", "add-staff", "Rutt 1", "#9999"): (
            "Nobody is called #9999. See everyone with: vardag people"
        ),
        ("group", "add-staff", "Rutt 1", "Kim"): "Kim is not a support person.",
        ("group", "add-staff", "Rutt 1", "anna"): "Anna already works in Rutt 1.",
        ("group", "remove-staff", "Rutt 1", "Cilla"): "Cilla does not work in Rutt 1.",
        ("group", "remove-staff", "Rutt 1", "Anna"): (
            "Anna is a contact person for Kim in Rutt 1. Choose new contact persons first."
        ),
        ("group", "move", "Anna", "Rutt 1"): "Anna is not a co-worker.",
        ("group", "move", "Kim", "Rutt 1"): "Kim already belongs to Rutt 1.",
        ("group", "move", "Sam", "Rutt 1"): (
            f"More than one person is called Sam: #{sam[0]}, #{sam[1]}. Use #id instead."
        ),
        ("contacts", "set", "Kim", "--primary", "Anna", "--secondary", "anna"): (
            "The contact persons must be two different people, not Anna twice."
        ),
        ("contacts", "set", "Kim", "--primary", "Anna", "--secondary", "Cilla"): (
            "Cilla does not work in Rutt 1."
        ),
        ("contacts", "set", f"#{sam[0]}", "--primary", "Anna", "--secondary", "Bo"): (
            "Sam does not belong to a group. Move them first: vardag group move"
        ),
        ("contacts", "show", "Anna"): "Anna is not a co-worker.",
        ("rota", "set", "Anna", "--days", "mon-fry", "--from", "07:00", "--to", "16:00"): (
            "Unknown days: mon-fry. Write for example mon-fri or mon,wed,fri."
        ),
        ("rota", "set", "Anna", "--days", "mon", "--from", "7", "--to", "16:00"): (
            "Unknown time: 7. Write for example 07:00."
        ),
        ("rota", "set", "Anna", "--days", "mon", "--from", "16:00", "--to", "07:00"): (
            "The shift 16:00–07:00 must end after it starts, on the same day."
        ),
        ("rota", "set", "Anna", "--days", "mon", "--from", "15:00", "--to", "18:00", "--add"): (
            "Two shifts on the same day overlap: 07:00–16:00 and 15:00–18:00."
        ),
        ("rota", "set", "Kim", "--days", "mon", "--from", "07:00", "--to", "16:00"): (
            "Kim is not a support person."
        ),
        ("rota", "away", "Anna", "--to", "2026-13-01"): (
            'Unknown date: 2026-13-01. Write for example 2026-12-01 or "2026-12-01 08:00".'
        ),
        ("rota", "away", "Anna", "--from", "2026-12-05", "--to", "2026-12-01"): (
            "The absence must end after it starts."
        ),
        ("rota", "away", "Anna", "--to", "2026-12-01", "--reason", "x" * 41): (
            "The reason may have at most 40 characters."
        ),
        ("rota", "back", "Anna"): "Anna is not away just now.",
        (
            "rota",
            "duty",
            "Rutt 9",
        ): "There is no group Rutt 9. See them all with: vardag group list",
    }
    for args, line in cases.items():
        assert await vardag.refused(*args) == line, args
    # Nothing wrong was saved.
    out = await vardag("rota", "show", "Anna")
    assert out.splitlines() == [
        "Shifts of Anna:",
        *(f"  {day} 07:00–16:00" for day in ("Mon", "Tue", "Wed", "Thu", "Fri")),
        "Anna has no absences recorded.",
    ]


async def test_swedish_is_the_default(vardag: Vardag) -> None:
    vardag.env.pop("VARDAG_LANGUAGE")
    assert await vardag("group", "create", "Rutt 1") == "Gruppen Rutt 1 är skapad (#1).\n"
    assert await vardag.refused("group", "create", "Rutt 1") == "Gruppen Rutt 1 finns redan."
