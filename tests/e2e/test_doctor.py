"""``vardag doctor`` says, in plain words, what is right and wrong: the database and its
migrations, the token against the Bot API, a webhook left behind."""

from __future__ import annotations

import asyncio
from pathlib import Path

from typer.testing import CliRunner

from bot.cli.main import app as cli
from bot.context import Services
from bot.sandbox.server import SandboxServer
from tests.conftest import Database
from tests.e2e.conftest import cli_env


async def doctor(env: dict[str, str], *args: str) -> tuple[int, list[str]]:
    result = await asyncio.to_thread(
        CliRunner().invoke, cli, ["doctor", *args], env=env | {"VARDAG_LANGUAGE": "sv"}
    )
    return result.exit_code, result.output.splitlines()


async def test_all_is_well(services: Services, database: Database, sandbox: SandboxServer) -> None:
    code, lines = await doctor(cli_env(database, sandbox))
    assert lines[1:] == [
        "✓ Databasen svarar.",
        "✓ Databasen har den senaste strukturen.",
        "✓ Token fungerar: boten heter @VardagTestBot.",
    ]
    assert lines[0].startswith("✓ Klockan i Europe/Stockholm är ") and code == 0


async def test_what_is_wrong_is_said(
    database: Database, sandbox: SandboxServer, tmp_path: Path
) -> None:
    (tmp_path / "new.sqlite").touch()  # an empty database: no migration has run
    env = cli_env(database, sandbox) | {
        "VARDAG_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'new.sqlite'}",
        "VARDAG_TELEGRAM_TOKEN": "123:wrong",
    }
    env.pop("VARDAG_DATABASE_SCHEMA", None)
    code, lines = await doctor(env)
    assert code == 1
    assert lines[1:] == [
        "✓ Databasen svarar.",
        "✗ Databasen är inte uppdaterad. Kör: vardag migrate",
        "✗ Telegram svarar inte på token (InvalidToken). Kontrollera token och nätet.",
    ]


async def test_a_mistyped_sqlite_path_is_not_created(
    database: Database, sandbox: SandboxServer, tmp_path: Path
) -> None:
    mistyped = tmp_path / "vardga.sqlite"
    env = cli_env(database, sandbox) | {"VARDAG_DATABASE_URL": f"sqlite+aiosqlite:///{mistyped}"}
    env.pop("VARDAG_DATABASE_SCHEMA", None)
    code, lines = await doctor(env)
    assert code == 1
    assert lines[1] == (
        f"✗ Det finns ingen databas på {mistyped}. Kontrollera VARDAG_DATABASE_URL. "
        "Är det en ny installation: kör vardag migrate."
    )
    assert not mistyped.exists()
