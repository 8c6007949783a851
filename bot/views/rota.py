"""Duty and absence, as staff see them in chat."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_datetime, get_day_names
from markupsafe import Markup, escape

from bot.i18n import Texts
from bot.rules.duty import Duty
from bot.telegram.rendered import Rendered
from storage.models import Absence, DutyShift


def _when(t: Texts, moment: datetime, zone: ZoneInfo) -> str:
    return format_datetime(moment.astimezone(zone), "EEEE d MMMM HH:mm", locale=t.language)


def away(t: Texts, absence: Absence, zone: ZoneInfo) -> Rendered:
    first = absence.starts_at.astimezone(zone).date()
    last = (absence.ends_at - timedelta(microseconds=1)).astimezone(zone).date()
    return Rendered(t("rota.away", first=t.day_in_words(first), last=t.day_in_words(last)))


def duty(t: Texts, duties: list[Duty], zone: ZoneInfo) -> Rendered:
    if not duties:
        return Rendered(t("rota.no_groups"))
    lines: list[Markup] = []
    for entry in duties:
        group = escape(entry.group.name)
        if entry.on_duty:
            names = Markup(", ").join(p.display_name for p in entry.on_duty)
            lines.append(t("rota.on_duty", group=group, names=names))
        elif entry.next_on_duty is not None:
            lines.append(
                t("rota.nobody_until", group=group, when=_when(t, entry.next_on_duty, zone))
            )
        else:
            lines.append(t("rota.nobody", group=group))
    return Rendered(Markup("\n").join(lines))


def shifts(t: Texts, rows: list[DutyShift]) -> Rendered:
    if not rows:
        return Rendered(t("rota.no_shifts"))
    days = get_day_names("wide", locale=t.language)
    lines = [t("rota.your_shifts")]
    lines += [
        Markup("{} {:%H:%M}–{:%H:%M}").format(days[s.weekday], s.start_time, s.end_time)
        for s in sorted(rows, key=lambda s: (s.weekday, s.start_time))
    ]
    return Rendered(Markup("\n").join(lines))
