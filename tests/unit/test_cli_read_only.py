"""A command that only reads does not migrate: on a database behind the newest schema it
says so in one line, exits non-zero and leaves the database as it was. A command that
writes migrates first, as always."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.main import app
from bot.config import ConfigError

BEHIND = "The database is not up to date, and this command changes nothing. Run: vardag migrate"

READ_ONLY = [
    ["group", "list"],
    ["contacts", "show", "Kim"],
    ["rota", "show", "Anna"],
    ["rota", "duty", "Rutt 1"],
    ["people"],
    ["invites"],
    ["audit"],
    ["outbox", "list"],
    ["report", "continuity"],
    ["export-catalogue"],
    ["export", "Kim"],
    ["plan", "show", "Kim"],
    ["plan", "repeats", "list", "Kim"],
    ["plan", "capacity", "Kim"],
    ["quiet", "Kim"],
]


def env_for(path: Path) -> dict[str, str]:
    return {
        "VARDAG_DATABASE_URL": f"sqlite+aiosqlite:///{path}",
        "VARDAG_LANGUAGE": "en",
        "VARDAG_LOG_LEVEL": "WARNING",
    }


def tables(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return [row[0] for row in connection.execute("SELECT name FROM sqlite_master")]
    finally:
        connection.close()


def invoke(path: Path, *args: str) -> tuple[int, str]:
    """Exit code and output, a ConfigError as ``vardag`` gives it (exit 2, its line)."""
    result = CliRunner().invoke(app, list(args), env=env_for(path), prog_name="vardag")
    if isinstance(result.exception, ConfigError):
        return 2, str(result.exception)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    path = tmp_path / "fresh.sqlite"
    path.touch()
    return path


@pytest.mark.parametrize("args", READ_ONLY, ids=" ".join)
def test_a_read_only_command_does_not_migrate(fresh: Path, args: list[str]) -> None:
    assert invoke(fresh, *args) == (2, BEHIND)
    assert tables(fresh) == []


def test_the_line_and_the_exit_code_as_vardag_gives_them(fresh: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "group", "list"],
        env=env_for(fresh) | {"PATH": "/usr/bin:/bin"},
        cwd=fresh.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (done.returncode, done.stdout, done.stderr) == (2, "", f"vardag: {BEHIND}\n")
    assert tables(fresh) == []


def test_a_writing_command_migrates_a_fresh_file_as_before(fresh: Path) -> None:
    assert invoke(fresh, "group", "create", "Rutt 1") == (
        0,
        "The group Rutt 1 is created (#1).\n",
    )
    assert "alembic_version" in tables(fresh)
    code, out = invoke(fresh, "group", "list")
    assert code == 0 and out.startswith("#1 Rutt 1\n")


@pytest.mark.parametrize(
    "args", [["quiet", "Kim", "--from", "21:00"], ["plan", "capacity", "Kim", "5"]], ids=" ".join
)
def test_a_command_that_shows_or_sets_migrates_when_it_sets(fresh: Path, args: list[str]) -> None:
    code, out = invoke(fresh, *args)
    assert (code, out) != (2, BEHIND)  # nobody called Kim yet, but the schema is there
    assert "alembic_version" in tables(fresh)


def test_after_vardag_migrate_the_read_only_commands_answer(fresh: Path) -> None:
    assert invoke(fresh, "migrate") == (0, "The database is up to date.\n")
    assert invoke(fresh, "group", "list") == (0, "There are no groups yet.\n")
    assert invoke(fresh, "people") == (0, "There are no people yet.\n")
