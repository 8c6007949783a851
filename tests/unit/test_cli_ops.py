"""``vardag audit`` shows who saw or changed whose data; ``vardag backup`` makes a copy of
the SQLite database that works as the database again (restore)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import load_settings
from bot.context import Services
from bot.runtime.runner import open_runtime
from bot.services.people import contacts
from storage.models import Person, Role
from storage.repos import organisation as org_repo
from tests.conftest import Database
from tests.unit.test_cli_org import Vardag, invite


@pytest.fixture
def vardag(database: Database, monkeypatch: pytest.MonkeyPatch) -> Vardag:
    return Vardag(database, monkeypatch)


async def test_the_audit_trail_by_person_and_date(vardag: Vardag, services: Services) -> None:
    await vardag("group", "create", "Rutt 1")
    anna = await invite(services, Role.SUPPORT, "Anna")
    await invite(services, Role.SUPPORT, "Bo")
    await invite(services, Role.COWORKER, "Kim")
    await vardag("group", "add-staff", "Rutt 1", "Anna")
    await vardag("group", "add-staff", "Rutt 1", "Bo")
    await vardag("group", "move", "Kim", "Rutt 1")
    await vardag("contacts", "set", "Kim", "--primary", "Anna", "--secondary", "Bo")
    await vardag("contacts", "show", "Kim")
    async with services.sessions.begin() as session:  # Anna, in chat
        staff = await session.get(Person, anna)
        await contacts.show_contacts(services, session, "Kim", actor=staff)

    about_kim = (await vardag("audit", "--person", "Kim")).splitlines()
    assert [line.split(": ", 1)[1] for line in about_kim] == [
        "invite.create Kim (coworker)",
        "contacts.view Kim",
        "group.move Kim (Rutt 1)",
        "contacts.set Kim",
        "contacts.view Kim",
    ]
    # The invite and Anna's look were at 06:00 (the services' clock), the rest at the
    # CLI's 09:00.
    assert about_kim[0].startswith("2026-11-24 06:00 the command line: ")
    assert about_kim[1].startswith("2026-11-24 06:00 Anna: ")
    assert all(line.startswith("2026-11-24 09:00 the command line: ") for line in about_kim[2:])
    assert await vardag("audit", "--person", "Kim", "--since", "2026-11-25") == "No entries.\n"
    assert await vardag.refused("audit", "--since", "24/11") == (
        "Write the date as YYYY-MM-DD, not 24/11."
    )


async def test_a_backup_restores(vardag: Vardag, database: Database, tmp_path: Path) -> None:
    copy = tmp_path / "copy.sqlite"
    if database.url.startswith("postgresql"):
        assert await vardag.refused("backup", str(copy)) == (
            "vardag backup is for SQLite. For PostgreSQL: pg_dump (see the README)."
        )
        return
    await vardag("group", "create", "Rutt 1")
    assert await vardag("backup", str(copy)) == f"The copy is saved in {copy}.\n"
    assert (copy.stat().st_mode & 0o777) == 0o600
    assert await vardag.refused("backup", str(copy)) == f"{copy} exists already. Choose a new file."

    restored = load_settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{copy}")
    async with open_runtime(restored) as runtime, runtime.services.sessions() as session:
        assert [g.name for g in await org_repo.all_groups(session)] == ["Rutt 1"]


async def test_a_backup_of_a_database_that_is_not_there_fails(
    vardag: Vardag, database: Database, tmp_path: Path
) -> None:
    if database.url.startswith("postgresql"):
        pytest.skip("vardag backup is for SQLite")
    mistyped = tmp_path / "vardga.sqlite"
    vardag.env["VARDAG_DATABASE_URL"] = f"sqlite+aiosqlite:///{mistyped}"
    copy = tmp_path / "copy.sqlite"
    assert await vardag.refused("backup", str(copy)) == (
        f"There is no database at {mistyped}. Check VARDAG_DATABASE_URL. No copy was made."
    )
    assert not copy.exists() and not mistyped.exists()
