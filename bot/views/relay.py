"""The relay's lines: the header staff see before a co-worker's message, the label a
co-worker sees before an answer, and the receipts."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from bot.i18n import Texts
from bot.rules.hearer import Hearer
from bot.telegram.callbacks import Action, Callback
from bot.telegram.rendered import Button, Rendered
from bot.views.help import when_in_words
from storage.models import Group, Person


def header(t: Texts, coworker: Person, group: Group | None, doing: str | None) -> Rendered:
    """For staff, just before the copy: who wrote, their group, what they were doing."""
    return Rendered(with_header(t, coworker, group, doing, None))


def header_line(t: Texts, coworker: Person, group: Group | None, doing: str | None) -> Markup:
    """Who wrote, their group, what they were doing: the first line staff see."""
    who = escape(coworker.display_name)
    line = (
        t("relay.from_group", name=who, group=escape(group.name))
        if group
        else t("relay.from", name=who)
    )
    if doing:
        line += Markup(" ") + t("relay.doing", title=doing)
    return line


def with_header(
    t: Texts, coworker: Person, group: Group | None, doing: str | None, body: str | None
) -> Markup:
    """The header, the co-worker's own words (escaped: shown as they wrote them) and how
    to answer, as one text or caption: one message for staff, not two."""
    parts = [header_line(t, coworker, group, doing)]
    if body:
        parts.append(escape(body))
    parts.append(t("relay.how_to_answer", name=escape(coworker.display_name)))
    return Markup("\n").join(parts)


def answer_label(t: Texts, staff: Person) -> Rendered:
    """For the co-worker, just before the copy of a staff member's answer: a person, not
    the bot, wrote it."""
    return Rendered(
        t("relay.answer_from", name=escape(staff.display_name), role=t(f"role.{staff.role.value}"))
    )


def broadcast_label(t: Texts, staff: Person, group: Group) -> Rendered:
    """For each co-worker of the group, before the copy of a message to them all."""
    return Rendered(
        t(
            "relay.broadcast_from",
            name=escape(staff.display_name),
            role=t(f"role.{staff.role.value}"),
            group=escape(group.name),
        )
    )


def write_to(t: Texts, coworker: Person) -> Rendered:
    return Rendered(t("send.write_to", name=escape(coworker.display_name)))


def write_to_group(t: Texts, group: Group) -> Rendered:
    return Rendered(t("send.write_to_group", group=escape(group.name)))


def choose_group(t: Texts, groups: list[Group]) -> Rendered:
    if not groups:
        return Rendered(t("invite.no_groups"))
    return Rendered(
        t("send.which_group"),
        [[Button(g.name, Callback(Action.BROADCAST_GROUP, g.id))] for g in groups],
    )


def receipt(t: Texts, hearer: Hearer, group: Group | None, zone: ZoneInfo, today: date) -> Markup:
    """For the co-worker: who got the message, or when someone will."""
    if hearer.person is not None and hearer.at is None:
        return t("relay.sent_to", name=escape(hearer.person.display_name))
    if hearer.person is not None and hearer.at is not None:
        when = when_in_words(t, hearer.at, zone, today)
        line = t("relay.sent_later", name=escape(hearer.person.display_name), when=when)
    else:  # kept; the clock hands it to the first who can get it (waiting_messages)
        line = t("relay.kept") + "\n" + t("relay.kept_waiting")
    if group is not None and group.phone:
        line += "\n" + t("relay.call_group", phone=escape(group.phone))
    return line


def edited(t: Texts, coworker: Person, body: str) -> Rendered:
    """For staff, as a reply to the copy they have: the co-worker changed it, to this."""
    return Rendered(t("relay.edited", name=coworker.display_name, text=body))
