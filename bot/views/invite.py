"""The in-chat invite conversation, as staff see it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from markupsafe import escape

from bot.callbacks import Action, Callback
from bot.i18n import Texts
from bot.views.rendered import Button, Rendered
from storage.models import Group, Role

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
            expires=expires.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            link=escape(link),
        )
    )
