"""When a recurring task falls: RFC 5545 RRULEs read with python-dateutil.

A :class:`~storage.models.Recurrence` stores its rule as an RRULE string
(``FREQ=WEEKLY;BYDAY=MO,WE``) and the date it starts on (the rule's DTSTART;
it also decides which weeks count for "every other week"). The presets support
persons choose from are built by :func:`build_rule`; anything stored is checked
by :func:`parse_rule` before use.

Days off (the method plans working days):

* A Swedish public holiday is a day off: a recurring task does not fall on it.
  Only a one-day rule (``FREQ=DAILY;COUNT=1``, "just this day") whose date *is*
  the holiday puts a task there: it was planned on that exact date.
* Saturday and Sunday are off unless the rule names them (``BYDAY=SA``), or it
  is a one-day rule on that date.

Everything here works on dates (no clock time), so a DST change cannot move a task.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, datetime, time
from functools import lru_cache
from typing import Any, Protocol, TypeVar

from dateutil.rrule import rrulestr

from bot.rules.working_days import SWEDISH_HOLIDAYS, WEEKEND

MAX_RULE_LENGTH = 500  # recurrences.rrule is VARCHAR(500)
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # index = date.weekday()
# FREQs that make sense for a day plan (no HOURLY/MINUTELY/SECONDLY).
_FREQUENCIES = frozenset({"DAILY", "WEEKLY", "MONTHLY", "YEARLY"})
# RRULE parts Vardag accepts (RFC 5545 3.3.10, without DTSTART/TZID lines or BYHOUR…).
_PARTS = frozenset(
    {
        "FREQ",
        "INTERVAL",
        "COUNT",
        "UNTIL",
        "BYDAY",
        "BYMONTHDAY",
        "BYMONTH",
        "BYYEARDAY",
        "BYWEEKNO",
        "BYSETPOS",
        "WKST",
    }
)

# Numeric parts and the magnitudes RFC 5545 allows (a rule that can never fall is refused).
_RANGES = {
    "INTERVAL": (1, 1000),
    "COUNT": (1, 10000),
    "BYMONTHDAY": (1, 31),
    "BYMONTH": (1, 12),
    "BYYEARDAY": (1, 366),
    "BYWEEKNO": (1, 53),
    "BYSETPOS": (1, 366),
}
_POSITIVE = frozenset({"INTERVAL", "COUNT", "BYMONTH"})


class RecurrenceError(ValueError):
    """A rule Vardag cannot use; the message says what is wrong with it."""


class Preset(enum.StrEnum):
    WEEKDAYS = "weekdays"  # every weekday, Monday to Friday
    WEEKLY = "weekly"  # chosen weekdays, every week
    EVERY_OTHER_WEEK = "every_other_week"  # chosen weekdays, every other week
    ONE_DAY = "one_day"  # just the start date


class RuleLike(Protocol):
    """What :func:`occurs_on` needs of a recurrence (a ``Recurrence`` row fits)."""

    @property
    def rrule(self) -> str: ...

    @property
    def starts_on(self) -> date: ...

    @property
    def active(self) -> bool: ...


R = TypeVar("R", bound=RuleLike)


def build_rule(preset: Preset, weekdays: Iterable[int] = ()) -> str:
    """The RRULE for a preset; ``weekdays`` (0 = Monday … 6 = Sunday) for the chosen-day
    presets. The recurrence's ``starts_on`` is the one day of ``ONE_DAY`` and the
    first week of ``EVERY_OTHER_WEEK``."""
    if preset is Preset.WEEKDAYS:
        return "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
    if preset is Preset.ONE_DAY:
        return "FREQ=DAILY;COUNT=1"
    days = sorted(set(weekdays))
    if not days:
        raise RecurrenceError("choose at least one weekday")
    if days[0] < 0 or days[-1] > 6:
        raise RecurrenceError("weekdays are 0 (Monday) to 6 (Sunday)")
    byday = ",".join(DAY_CODES[d] for d in days)
    if preset is Preset.WEEKLY:
        return f"FREQ=WEEKLY;BYDAY={byday}"
    return f"FREQ=WEEKLY;INTERVAL=2;BYDAY={byday}"


def weekly_preset(weekdays: Iterable[int], *, every_other_week: bool = False) -> Preset:
    """The preset for chosen weekdays: Monday to Friday every week is ``WEEKDAYS``."""
    if every_other_week:
        return Preset.EVERY_OTHER_WEEK
    return Preset.WEEKDAYS if sorted(set(weekdays)) == [0, 1, 2, 3, 4] else Preset.WEEKLY


def _parts(text: str) -> dict[str, str]:
    """``"FREQ=WEEKLY;BYDAY=MO"`` as ``{"FREQ": "WEEKLY", "BYDAY": "MO"}``, checked."""
    parts: dict[str, str] = {}
    for piece in text.split(";"):
        name, equals, value = piece.partition("=")
        if not equals or not name or not value:
            raise RecurrenceError(f"{piece!r} is not NAME=VALUE")
        if name not in _PARTS:
            raise RecurrenceError(f"{name} is not supported in a task's rule")
        if name in parts:
            raise RecurrenceError(f"{name} is given twice")
        parts[name] = value
    for name, (low, high) in _RANGES.items():
        for value in filter(None, parts.get(name, "").split(",")):
            try:
                number = int(value)
            except ValueError:
                raise RecurrenceError(f"{name}={value} is not a number") from None
            if not low <= abs(number) <= high or (number < 0 and name in _POSITIVE):
                raise RecurrenceError(f"{name}={value} is out of range")
    frequency = parts.get("FREQ")
    if frequency is None:
        raise RecurrenceError("the rule has no FREQ")
    if frequency not in _FREQUENCIES:
        raise RecurrenceError(f"FREQ={frequency} is not one of DAILY, WEEKLY, MONTHLY, YEARLY")
    return parts


def normalise(text: str) -> str:
    """The stored form of a rule: upper case, no ``RRULE:`` prefix, no spaces."""
    rule = "".join(text.split()).upper()
    return rule.removeprefix("RRULE:")


def validate_rule(text: str, starts_on: date) -> str:
    """The rule in its stored form, or :class:`RecurrenceError` saying what is wrong."""
    rule = normalise(text)
    _parsed(rule, starts_on)
    return rule


def parse_rule(text: str, starts_on: date) -> Any:
    """The ``dateutil.rrule.rrule`` for a stored rule starting on ``starts_on``."""
    return _parsed(normalise(text), starts_on)


@lru_cache(maxsize=2048)
def _parsed(rule: str, starts_on: date) -> Any:
    if not rule:
        raise RecurrenceError("the rule is empty")
    if len(rule) > MAX_RULE_LENGTH:
        raise RecurrenceError(f"the rule is longer than {MAX_RULE_LENGTH} characters")
    parts = _parts(rule)
    if "COUNT" in parts and "UNTIL" in parts:
        raise RecurrenceError("a rule has COUNT or UNTIL, not both")
    # Vardag works in local dates: an UNTIL in UTC ("…T235959Z") is read as that date.
    plain = ";".join(
        f"{name}={value.removesuffix('Z') if name == 'UNTIL' else value}"
        for name, value in parts.items()
    )
    try:
        parsed = rrulestr(plain, dtstart=datetime.combine(starts_on, time()))
    except (ValueError, TypeError, KeyError, IndexError) as error:
        raise RecurrenceError(f"not a valid RRULE: {error}") from error
    return parsed


def is_one_day(rule: str) -> bool:
    """Whether the rule is "just this day" (it has a single occurrence, by COUNT=1)."""
    return _parts(normalise(rule)).get("COUNT") == "1"


def named_days(rule: str) -> frozenset[int]:
    """The weekdays the rule names in BYDAY (``1SA`` and ``-1SU`` count), 0 = Monday."""
    byday = _parts(normalise(rule)).get("BYDAY", "")
    return frozenset(
        DAY_CODES.index(code[-2:]) for code in byday.split(",") if code[-2:] in DAY_CODES
    )


def occurs_on(recurrence: RuleLike, day: date) -> bool:
    """Whether an active recurrence puts its task on ``day`` (see the module's rules).

    Raises :class:`RecurrenceError` for a stored rule that cannot be read.
    """
    if not recurrence.active or day < recurrence.starts_on:
        return False
    rule = normalise(recurrence.rrule)
    parsed = _parsed(rule, recurrence.starts_on)
    midnight = datetime.combine(day, time())
    if parsed.after(midnight, inc=True) != midnight:
        return False
    if is_one_day(rule):
        return True  # planned on this exact date: holidays and weekends do not stop it
    if day in SWEDISH_HOLIDAYS:
        return False
    return day.weekday() not in WEEKEND or day.weekday() in named_days(rule)


def due_on(rules: Iterable[R], day: date) -> list[R]:
    """Those of ``rules`` that fall on ``day``, in the order given."""
    return [rule for rule in rules if occurs_on(rule, day)]


class Pausable(Protocol):
    """A recurrence's pause (a ``Recurrence`` row fits)."""

    @property
    def paused_from(self) -> date | None: ...

    @property
    def paused_until(self) -> date | None: ...


def paused_on(recurrence: Pausable, day: date) -> bool:
    """Whether a recurrence is paused on ``day`` (``paused_from``..``paused_until``)."""
    first, last = recurrence.paused_from, recurrence.paused_until
    return first is not None and last is not None and first <= day <= last


def preset_of(rule: str) -> tuple[Preset, list[int]] | None:
    """The preset a stored rule was made from, with its weekdays; ``None`` for a rule
    written by hand (a catalogue file) that no preset makes."""
    parts = _parts(normalise(rule))
    if parts.get("COUNT") == "1" and set(parts) <= {"FREQ", "COUNT"}:
        return Preset.ONE_DAY, []
    if parts.get("FREQ") != "WEEKLY" or set(parts) - {"FREQ", "INTERVAL", "BYDAY", "WKST"}:
        return None
    codes = parts.get("BYDAY", "").split(",")
    if not all(code in DAY_CODES for code in codes):
        return None
    days = sorted({DAY_CODES.index(code) for code in codes})
    interval = parts.get("INTERVAL", "1")
    if interval not in ("1", "2"):
        return None
    return weekly_preset(days, every_other_week=interval == "2"), days
