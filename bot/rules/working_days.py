"""Working days: Saturday and Sunday are off, and so are Swedish public holidays (as the
``holidays`` package knows them; no "eves"). The rota, recurrences and drafting all
count days with these."""

from __future__ import annotations

from collections.abc import Collection, Container
from datetime import date, timedelta
from functools import cache

import holidays

WEEKEND = frozenset({5, 6})  # date.weekday(): Saturday, Sunday


@cache
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("SE", years=year).keys())


class SwedishHolidays(Container[date]):
    """Swedish public holidays as the ``holidays`` package knows them (no "eves")."""

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and day in _public_holidays(day.year)


SWEDISH_HOLIDAYS = SwedishHolidays()


def is_day_off(day: date, holidays: Collection[date] | None = None) -> bool:
    """Saturday, Sunday or a Swedish public holiday."""
    days_off = SWEDISH_HOLIDAYS if holidays is None else holidays
    return day.weekday() in WEEKEND or day in days_off


def next_working_day(day: date) -> date:
    """The first day after ``day`` that is not a weekend day or public holiday."""
    following = day + timedelta(days=1)
    while is_day_off(following):
        following += timedelta(days=1)
    return following
