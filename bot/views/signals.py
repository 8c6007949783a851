"""What a co-worker signals, as staff read it: a heavy day, a reason for "not today"."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from bot.i18n import Texts
from bot.telegram.rendered import Rendered
from bot.views.help import other_day
from storage.models import Person


def reason_words(t: Texts, reason: str | None) -> Markup:
    """The co-worker's own button label ("😴 Jag är trött"), or "inte idag"."""
    return t(f"not_today.reason_{reason}") if reason else t("task.not_today")


def heavy_day(
    t: Texts, coworker: Person, answered_at: datetime, zone: ZoneInfo, shown_on: date
) -> Rendered:
    day = other_day(t, answered_at, zone, shown_on)
    name = escape(coworker.display_name)
    first = (
        t("signal.heavy_day", name=name)
        if day is None
        else t("signal.heavy_day_on", name=name, day=day)
    )
    return Rendered(Markup("\n").join([first, t("signal.not_an_alarm")]))


def not_today(
    t: Texts,
    coworker: Person,
    title: str,
    reason: str,
    answered_at: datetime,
    zone: ZoneInfo,
    shown_on: date,
) -> Rendered:
    day = other_day(t, answered_at, zone, shown_on)
    values = {
        "name": escape(coworker.display_name),
        "title": escape(title),
        "reason": reason_words(t, reason),
        "day": day,
    }
    key = "signal.not_today" if day is None else "signal.not_today_on"
    return Rendered(Markup("\n").join([t(key, **values), t("signal.not_an_alarm")]))
