"""The in-chat invite conversation, as staff see it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from bot.i18n import Texts
from bot.rules.localtime import local_minute
from bot.telegram.callbacks import Action, Callback
from bot.telegram.rendered import Button, Rendered
from storage.models import Group, Person, Role

INVITABLE = (Role.COWORKER, Role.SUPPORT, Role.ADMIN)


def role_question(t: Texts) -> Rendered:
    return Rendered(
        t("invite.which_role"),
        [
            [Button(t(f"role.{role.value}"), Callback(Action.INVITE_ROLE, n))]
            for n, role in enumerate(INVITABLE)
        ],
    )


def name_question(t: Texts, role: Role) -> Rendered:
    return Rendered(t("invite.which_name", role=t(f"role.{role.value}")))


def group_question(t: Texts, groups: list[Group]) -> Rendered:
    return Rendered(
        t("invite.which_group"),
        [[Button(group.name, Callback(Action.INVITE_GROUP, group.id))] for group in groups],
    )


def invite_ready(
    t: Texts, name: str, role: Role, link: str, expires: datetime, zone: ZoneInfo
) -> Rendered:
    return Rendered(
        t(
            "invite.ready",
            name=escape(name),
            role=t(f"role.{role.value}"),
            expires=local_minute(expires, zone),
            link=escape(link),
        )
    )


LATER = 0  # the INVITE_CONTACT target that leaves the contact persons for later


def contact_question(t: Texts, staff: list[Person], primary: Person | None = None) -> Rendered:
    """The first (or, once ``primary`` is chosen, the second) contact person, from the
    group's support persons, or "later"."""
    text = (
        t("contacts.which_secondary", primary=escape(primary.display_name))
        if primary is not None
        else t("invite.which_primary")
    )
    rows = [
        [Button(person.display_name, Callback(Action.INVITE_CONTACT, person.id))]
        for person in staff
        if primary is None or person.id != primary.id
    ]
    rows.append([Button(t("invite.contacts_later"), Callback(Action.INVITE_CONTACT, LATER))])
    return Rendered(text, rows)


def contacts_line(t: Texts, name: str, primary: Person | None, secondary: Person | None) -> Markup:
    """Under the invite: who the contact persons are, or that they are still missing."""
    if primary is None or secondary is None:
        return t("invite.contacts_missing", name=escape(name))
    return t(
        "invite.contacts_set",
        primary=escape(primary.display_name),
        secondary=escape(secondary.display_name),
    )
