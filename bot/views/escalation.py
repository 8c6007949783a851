"""A call for help as staff see it (with "I'm on it"), and what the co-worker hears."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from bot.i18n import Texts
from bot.telegram.callbacks import Action, Callback
from bot.telegram.rendered import Button, Rendered
from bot.views.help import help_request, other_day

__all__ = ["Rendered", "notice", "on_the_way", "settled", "taken", "whom_to_call"]
from storage.models import Group, HelpRequest, Person, PlannedTask


def notice(
    t: Texts,
    request: HelpRequest,
    coworker: Person,
    task: PlannedTask | None,
    group: Group | None,
    asked_at: datetime,
    zone: ZoneInfo,
    shown_on: date | None = None,
    *,
    untaken: bool = False,
) -> Rendered:
    """The alert; ``shown_on`` is the day it reaches the member of staff (another day
    than the call's is then named). ``untaken``: the last step of a red check-in, to the
    group's responsible admin, who is told plainly that nobody on duty took it."""
    if request.reason == "red_check_in":
        at = asked_at.astimezone(zone).strftime("%H:%M")
        day = other_day(t, asked_at, zone, shown_on)
        name = escape(coworker.display_name)
        key = "escalation.red" if day is None else "escalation.red_day"
        lines = [t(key, name=name, at=at, day=day)]
        if group is not None:
            lines.append(t("help_request.group", group=escape(group.name)))
        text = Markup("\n").join(lines)
    else:
        text = help_request(t, coworker, task, group, asked_at, zone, shown_on).text
    if untaken:
        text += "\n" + t("escalation.untaken")
    elif request.notified_ids:
        text += "\n" + t("escalation.nobody_yet")
    button = Button(t("escalation.on_it"), Callback(Action.ACKNOWLEDGE, request.id))
    return Rendered(text, [[button]])


def settled(t: Texts, alert_text: str, by: Person, coworker: Person, *, mine: bool) -> Rendered:
    """An alert once someone took the call: its first lines, then who took it; no button."""
    kept = [
        Markup(line)  # the alert's own text, built as Markup when it was queued
        for line in alert_text.splitlines()
        if line not in (t("escalation.nobody_yet"), t("escalation.untaken"))
    ]
    if mine:
        last = t("escalation.you_have_it", coworker=escape(coworker.display_name))
    else:
        last = taken_line(t, by, coworker)
    return Rendered(Markup("\n").join([*kept, Markup("✅ ") + last]))


def taken_line(t: Texts, by: Person, coworker: Person) -> Markup:
    """For a message: who took the call."""
    return t("escalation.taken", name=by.display_name, coworker=coworker.display_name)


def taken(t: Texts, by: Person, coworker: Person) -> str:
    """For an alert, which Telegram shows as plain text: nothing escaped."""
    return t.plain("escalation.taken", name=by.display_name, coworker=coworker.display_name)


def on_the_way(t: Texts, staff: Person) -> Rendered:
    return Rendered(t("escalation.on_the_way", name=escape(staff.display_name)))


def whom_to_call(t: Texts, group: Group | None) -> Rendered:
    """Only after a call for help the co-worker made themselves, when nobody took it."""
    lines = [t("escalation.nobody_answers")]
    if group is not None and group.phone:
        lines.append(t("help_receipt.call_group", phone=escape(group.phone)))
    lines.append(t("help_receipt.emergency"))
    return Rendered(Markup("\n").join(lines))
