"""The SQLite database holds health-related data: its files are readable by the owner only."""

from __future__ import annotations

import stat
from pathlib import Path

from sqlalchemy import text

from storage.db import create_engine


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_a_new_database_and_its_wal_are_private(tmp_path: Path) -> None:
    path = tmp_path / "data" / "vardag.sqlite"
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE t (x INTEGER)"))
        await connection.execute(text("INSERT INTO t VALUES (1)"))
    assert mode(path) == 0o600
    assert mode(path.with_name("vardag.sqlite-wal")) == 0o600
    await engine.dispose()


async def test_an_existing_database_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "vardag.sqlite"
    path.touch(mode=0o644)
    path.chmod(0o644)
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    await engine.dispose()
    assert mode(path) == 0o600
