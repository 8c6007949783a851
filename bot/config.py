"""Settings read from the environment (prefix ``VARDAG_``) and an optional ``.env`` file."""

from __future__ import annotations

import re
from datetime import time
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Language = Literal["sv", "en"]

TELEGRAM_API_URL = "https://api.telegram.org"


class ConfigError(Exception):
    """A setting is missing or malformed; the message is one line naming it."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="VARDAG_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    telegram_token: SecretStr | None = None
    database_url: str = "sqlite+aiosqlite:///vardag.sqlite"
    database_schema: str | None = None
    # PostgreSQL: one statement of the application's may run this long (seconds) before
    # the server stops it, and the client gives up a few seconds later (a partitioned
    # server never answers). 0: no limit. Migrations are exempt (storage/db.py).
    database_statement_timeout: float = Field(default=10.0, ge=0, le=3600)
    bot_api_url: str = TELEGRAM_API_URL
    bot_username: str | None = None
    timezone: str = "Europe/Stockholm"
    language: Language = "sv"
    default_morning_time: time = time(8, 0)
    draft_time: time = time(18, 0)
    morning_grace_hours: int = Field(default=4, ge=0, le=12)
    tick_seconds: float = Field(default=20.0, gt=0, le=300)
    invite_days: int = Field(default=7, ge=1, le=90)
    # The co-worker's day (issue: reminders, summary, preview).
    reminder_repeats: int = Field(default=2, ge=0, le=5)
    reminder_repeat_minutes: int = Field(default=15, ge=5, le=120)
    reminder_grace_minutes: int = Field(default=30, ge=0, le=240)
    daily_reminder_cap: int = Field(default=8, ge=1, le=50)
    end_of_day_time: time = time(15, 30)
    evening_preview_time: time = time(19, 0)
    staff_summary_time: time = time(15, 45)
    # How long personal data and the audit trail are kept (then deleted, hourly).
    retention_months: int = Field(default=12, ge=1, le=120)
    audit_retention_months: int = Field(default=24, ge=1, le=240)
    retention_time: time = time(3, 0)  # local time of the nightly deletion
    # A call for help nobody acknowledged goes to the next person after this long.
    escalation_minutes: int = Field(default=10, ge=1, le=120)
    # Webhook mode (`vardag run --webhook`): Telegram posts updates to webhook_url, which
    # the load balancer passes to webhook_listen:webhook_port/webhook_path on an instance.
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_path: str = "telegram"
    webhook_secret: SecretStr | None = None
    outbox_max_attempts: int = Field(default=8, ge=1, le=50)
    outbox_batch: int = Field(default=50, ge=1, le=1000)
    # Messages a second the bot may send at most (Telegram's limit per bot token); the
    # pace adapts below it after a 429 (bot/outbox/pace.py).
    telegram_rate: float = Field(default=30.0, gt=0, le=100_000)
    # At most this many outbox sends in flight at once (each a different chat); a crash
    # can leave that many sent but not recorded, so sent twice (docs/delivery.md).
    outbox_in_flight: int = Field(default=8, ge=1, le=64)
    # The inbox (bot/runtime/intake.py): how many updates one instance processes at once (each
    # chat's in order), and how long an instance holds an update it is processing before
    # another may take it (renewed while it works; first taken for at most 10 s,
    # bot/telegram/intake_scope.py's FIRST_LEASE).
    update_concurrency: int = Field(default=16, ge=1, le=256)
    update_lease_seconds: float = Field(default=60.0, ge=1, le=3600)
    # A button press not answered by its door within this long is answered without a
    # text, so the person's button stops spinning (bot/telegram/answering.py).
    press_answer_seconds: float = Field(default=2.0, gt=0, le=10)
    # How long one send waits for Telegram's answer (bot/outbox/sender.py).
    outbox_send_timeout: float = Field(default=20.0, gt=0, le=120)
    log_level: str = "INFO"
    # "json": one JSON object a line (time, level, logger, message, update_id), for collectors.
    log_format: Literal["text", "json"] = "text"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("bot_api_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        if value.startswith("postgresql://"):
            return "postgresql+asyncpg://" + value.removeprefix("postgresql://")
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("use sqlite+aiosqlite:///FILE or postgresql+asyncpg://…")
        return value

    @field_validator("database_schema")
    @classmethod
    def _plain_schema(cls, value: str | None) -> str | None:
        if value is not None and not value.replace("_", "").isalnum():
            raise ValueError("use letters, digits and underscores only")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _telegram_secret(cls, value: SecretStr | None) -> SecretStr | None:
        # Telegram's rule for secret_token: 1-256 of A-Z, a-z, 0-9, _ and -.
        if value is not None and not re.fullmatch(
            r"[A-Za-z0-9_-]{1,256}", value.get_secret_value()
        ):
            raise ValueError("use 1-256 letters, digits, _ or -")
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def require_webhook(self) -> tuple[str, str]:
        """The public URL and the secret token webhook mode needs."""
        # Telegram calls https:// only; a local Bot API server (or the sandbox) may use http.
        schemes = ("https://",) if self.bot_api_url == TELEGRAM_API_URL else ("https://", "http://")
        if not self.webhook_url or not self.webhook_url.startswith(schemes):
            raise ConfigError("VARDAG_WEBHOOK_URL is missing: the public https:// address.")
        if self.webhook_secret is None:
            raise ConfigError("VARDAG_WEBHOOK_SECRET is missing: 1-256 letters, digits, _ or -.")
        return self.webhook_url, self.webhook_secret.get_secret_value()

    def require_token(self) -> str:
        if self.telegram_token is None or not self.telegram_token.get_secret_value():
            raise ConfigError("VARDAG_TELEGRAM_TOKEN is missing: get a token from @BotFather.")
        token = self.telegram_token.get_secret_value()
        bot_id, _, secret = token.partition(":")
        if not bot_id.isdigit() or not secret:
            raise ConfigError("VARDAG_TELEGRAM_TOKEN is malformed: expected '<digits>:<secret>'.")
        return token


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning pydantic's report into one line that names the setting."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "settings"
        reason = first["msg"].removeprefix("Value error, ")
        raise ConfigError(f"VARDAG_{field.upper()} is invalid: {reason}.") from None
