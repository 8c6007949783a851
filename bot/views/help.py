"""A call for help, as the member of staff gets it and as the co-worker is answered."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from bot.i18n import Texts
from bot.telegram.rendered import Rendered
from storage.models import Group, Person, PlannedTask


def help_request(
    t: Texts,
    coworker: Person,
    task: PlannedTask | None,
    group: Group | None,
    asked_at: datetime,
    zone: ZoneInfo,
    shown_on: date | None = None,
) -> Rendered:
    """For staff: who needs help, with what, from which group, and since when (with the
    day, when ``shown_on``, the day it reaches them, is another)."""
    name = escape(coworker.display_name)
    at = asked_at.astimezone(zone).strftime("%H:%M")
    day = other_day(t, asked_at, zone, shown_on)
    suffix = "" if day is None else "_day"
    if task is not None:
        title = escape(task.template.title)
        lines = [t(f"help_request.with_task{suffix}", name=name, title=title, at=at, day=day)]
    else:
        lines = [t(f"help_request.general{suffix}", name=name, at=at, day=day)]
    if group is not None:
        lines.append(t("help_request.group", group=escape(group.name)))
    lines.append(t("help_request.get_in_touch", name=name))
    return Rendered(Markup("\n").join(lines))


def other_day(t: Texts, moment: datetime, zone: ZoneInfo, shown_on: date | None) -> str | None:
    """The day of ``moment`` in words ("igår", "måndag 23 november") when a message
    shown on ``shown_on`` must say it; None when it is the same day."""
    day = moment.astimezone(zone).date()
    if shown_on is None or day == shown_on:
        return None
    if day == shown_on - timedelta(days=1):
        return t("help_request.yesterday")
    return t.day_in_words(day)


def when_in_words(t: Texts, moment: datetime, zone: ZoneInfo, today: date) -> Markup:
    """ "idag klockan 07:00", "imorgon klockan 07:00" or "onsdag 25 november klockan 07:00"."""
    local = moment.astimezone(zone)
    clock = local.strftime("%H:%M")
    if local.date() == today:
        return t("help_receipt.today_at", time=clock)
    if local.date() == today + timedelta(days=1):
        return t("help_receipt.tomorrow_at", time=clock)
    return t("help_receipt.day_at", day=t.day_in_words(local.date()), time=clock)


def help_receipt(
    t: Texts,
    *,
    told: Person | None,
    told_at: datetime | None,
    told_on_duty: bool,
    group: Group | None,
    zone: ZoneInfo,
    today: date,
) -> Rendered:
    """For the co-worker: who was told, or when someone will see it and whom to call."""
    if told is not None and told_on_duty:
        name = escape(told.display_name)
        return Rendered(t("help_receipt.told", name=name))
    lines = [t("help_receipt.nobody_on_duty")]
    if told is not None and told_at is not None:
        when = when_in_words(t, told_at, zone, today)
        lines.append(t("help_receipt.told_later", name=escape(told.display_name), when=when))
    elif told is not None:
        lines.append(t("help_receipt.sent_to", name=escape(told.display_name)))
    else:
        lines.append(t("help_receipt.nobody_reached"))
    if group is not None and group.phone:
        lines.append(t("help_receipt.call_group", phone=escape(group.phone)))
    lines.append(t("help_receipt.emergency"))
    return Rendered(Markup("\n").join(lines))
