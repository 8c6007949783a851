"""What every service needs, built once at start and kept in ``bot_data``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.rules.clock import Clock
from bot.rules.localtime import local_date


@dataclass(frozen=True)
class Services:
    settings: Settings
    clock: Clock
    sessions: async_sessionmaker[AsyncSession]

    @property
    def zone(self) -> ZoneInfo:
        return self.settings.zone

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        return local_date(self.clock.now(), self.zone)
