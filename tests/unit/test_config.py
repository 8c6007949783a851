"""A missing or malformed setting stops start-up with one line naming it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bot.config import ConfigError, load_settings


def test_defaults_are_swedish_and_stockholm() -> None:
    settings = load_settings(_env_file=None)
    assert settings.language == "sv"
    assert settings.timezone == "Europe/Stockholm"
    assert settings.bot_api_url == "https://api.telegram.org"
    assert settings.database_url.startswith("sqlite+aiosqlite:///")


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("timezone", "Mars/Olympus", "VARDAG_TIMEZONE"),
        ("language", "fi", "VARDAG_LANGUAGE"),
        ("bot_api_url", "ftp://example", "VARDAG_BOT_API_URL"),
        ("database_url", "mysql://x", "VARDAG_DATABASE_URL"),
        ("tick_seconds", "-1", "VARDAG_TICK_SECONDS"),
    ],
)
def test_malformed_setting_is_named(field: str, value: str, named: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(_env_file=None, **{field: value})
    message = str(caught.value)
    assert message.startswith(named)
    assert "\n" not in message


def test_plain_postgres_url_gets_the_async_driver() -> None:
    settings = load_settings(_env_file=None, database_url="postgresql://u@h/db")
    assert settings.database_url == "postgresql+asyncpg://u@h/db"


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        (None, "VARDAG_TELEGRAM_TOKEN is missing"),
        ("nonsense", "VARDAG_TELEGRAM_TOKEN is malformed"),
    ],
)
def test_token_is_required_to_run(token: str | None, expected: str) -> None:
    settings = load_settings(_env_file=None, telegram_token=token)
    with pytest.raises(ConfigError, match=expected):
        settings.require_token()


@pytest.mark.parametrize(
    ("env", "line"),
    [
        ({"VARDAG_TIMEZONE": "Nowhere/Land"}, "vardag: VARDAG_TIMEZONE is invalid"),
        ({}, "vardag: VARDAG_TELEGRAM_TOKEN is missing"),
    ],
)
def test_command_line_prints_one_line_not_a_traceback(
    env: dict[str, str], line: str, tmp_path: object
) -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("VARDAG_")}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        env=clean | env,
        cwd=str(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith(line)
    assert "Traceback" not in result.stderr
