"""On SQLite a second instance refuses to start; on PostgreSQL each schema has its own
leader lock (the takeover itself: tests/e2e/test_leader_takeover.py). A repeated update:
tests/unit/test_inbox.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError
from bot.runtime import leader
from bot.runtime.leader import sqlite_single_instance


def test_a_second_instance_on_the_same_sqlite_file_refuses(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'vardag.sqlite'}"
    with sqlite_single_instance(url):
        with pytest.raises(ConfigError) as refused, sqlite_single_instance(url):
            pass
        assert "Another Vardag is already running" in str(refused.value)
        assert "SQLite allows one instance; use PostgreSQL to run several." in str(refused.value)
    with sqlite_single_instance(url):  # free again once the first has stopped
        pass


def test_a_symlink_to_the_same_sqlite_file_finds_the_same_lock(tmp_path: Path) -> None:
    real = tmp_path / "data" / "vardag.sqlite"
    real.parent.mkdir()
    real.touch()
    other = tmp_path / "elsewhere.sqlite"
    other.symlink_to(real)
    with sqlite_single_instance(f"sqlite+aiosqlite:///{real}"):
        with (
            pytest.raises(ConfigError) as refused,
            sqlite_single_instance(f"sqlite+aiosqlite:///{other}"),
        ):
            pass
        assert f"Another Vardag is already running on {real}." in str(refused.value)


def test_each_schema_has_its_own_lock() -> None:
    assert leader.lock_key("public") == leader.lock_key(None)
    assert leader.lock_key("test_a") != leader.lock_key("test_b")
