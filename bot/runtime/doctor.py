"""``vardag doctor``: what is wrong with this installation, in plain words.

Each check gives one line, ✓ or ✗; nothing is changed (no migration is run).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url
from telegram import Bot
from telegram.error import TelegramError

from bot.config import Settings
from bot.i18n import PlainTexts
from bot.rules.clock import SystemClock
from bot.runtime.health import database_state
from storage.db import create_engine


@dataclass(frozen=True)
class Check:
    ok: bool
    line: str


async def examine(settings: Settings, *, webhook: bool = False) -> list[Check]:
    t = PlainTexts(settings.language)
    checks = [_clock(settings, t)]
    checks += await _database(settings, t)
    checks += await _telegram(settings, t, webhook=webhook)
    return checks


def _clock(settings: Settings, t: PlainTexts) -> Check:
    now = SystemClock().now().astimezone(settings.zone)
    return Check(
        True, t("doctor.clock", zone=settings.timezone, now=now.strftime("%Y-%m-%d %H:%M"))
    )


def _missing_sqlite_file(settings: Settings) -> str | None:
    """The SQLite file the settings name, when it does not exist (opening it would create
    an empty one: a mistyped path must not look like a new database)."""
    url = make_url(settings.database_url)
    path = url.database
    if url.get_backend_name() != "sqlite" or not path or path == ":memory:":
        return None
    if path.startswith("file:") or Path(path).exists():
        return None
    return path


async def _database(settings: Settings, t: PlainTexts) -> list[Check]:
    missing = _missing_sqlite_file(settings)
    if missing is not None:
        return [Check(False, t("doctor.db_missing", path=missing))]
    engine = create_engine(settings.database_url, search_path=settings.database_schema)
    try:
        state = await database_state(engine)
    finally:
        await engine.dispose()
    if not state.reachable:
        return [Check(False, t("doctor.db_unreachable", error=state.error))]
    migrations = (
        Check(True, t("doctor.db_current"))
        if state.current
        else Check(False, t("doctor.db_behind"))
    )
    return [Check(True, t("doctor.db_ok")), migrations]


async def _telegram(settings: Settings, t: PlainTexts, *, webhook: bool) -> list[Check]:
    if settings.telegram_token is None:
        return [Check(False, t("doctor.no_token"))]
    api = settings.bot_api_url
    bot = Bot(
        settings.telegram_token.get_secret_value(),
        base_url=f"{api}/bot",
        base_file_url=f"{api}/file/bot",
    )
    try:
        async with bot:
            me = await bot.get_me()
            info = await bot.get_webhook_info()
    except TelegramError as error:
        return [Check(False, t("doctor.telegram_failed", error=type(error).__name__))]
    checks = [Check(True, t("doctor.telegram_ok", username=me.username or "?"))]
    if webhook and info.url != settings.webhook_url:
        checks.append(Check(False, t("doctor.webhook_differs", url=info.url or "—")))
    elif not webhook and info.url:
        checks.append(Check(False, t("doctor.webhook_set", url=info.url)))
    if info.last_error_message:
        checks.append(Check(False, t("doctor.webhook_error", error=info.last_error_message)))
    return checks
