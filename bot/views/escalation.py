"""A call for help as staff see it (with "I'm on it"), and what the co-worker hears."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from bot.callbacks import Action, Callback
from bot.i18n import Texts
from bot.views.help import help_request
from bot.views.rendered import Button, Rendered
from storage.models import Group, HelpRequest, Person, PlannedTask


def notice(
    t: Texts,
    request: HelpRequest,
    coworker: Person,
    task: PlannedTask | None,
    group: Group | None,
    asked_at: datetime,
    zone: ZoneInfo,
) -> Rendered:
    if request.reason == "red_check_in":
        at = asked_at.astimezone(zone).strftime("%H:%M")
        lines = [t("escalation.red", name=escape(coworker.display_name), at=at)]
        if group is not None:
            lines.append(t("help_request.group", group=escape(group.name)))
        text = Markup("\n").join(lines)
    else:
        text = help_request(t, coworker, task, group, asked_at, zone).text
    if request.notified_ids:
        text += "\n" + t("escalation.nobody_yet")
    button = Button(t("escalation.on_it"), Callback(Action.ACKNOWLEDGE, request.id))
    return Rendered(text, [[button]])


def taken(t: Texts, by: Person, coworker: Person) -> str:
    """For an alert, which Telegram shows as plain text: nothing escaped."""
    return t.plain("escalation.taken", name=by.display_name, coworker=coworker.display_name)


def on_the_way(t: Texts, staff: Person) -> Rendered:
    return Rendered(t("escalation.on_the_way", name=escape(staff.display_name)))


def whom_to_call(t: Texts, group: Group | None) -> Rendered:
    lines = [t("escalation.nobody_answers")]
    if group is not None and group.phone:
        lines.append(t("help_receipt.call_group", phone=escape(group.phone)))
    lines.append(t("help_receipt.emergency"))
    return Rendered(Markup("\n").join(lines))
