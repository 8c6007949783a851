"""A group, its staff and co-workers, as staff manage it in chat."""

from __future__ import annotations

import enum

from markupsafe import Markup

from bot.i18n import Texts
from bot.rules.groups import GroupOverview
from bot.telegram.callbacks import Action, Callback
from bot.telegram.rendered import Button, Rendered
from storage.models import Group, Person


class Menu(enum.IntEnum):
    ADD_STAFF = 1
    MOVE_HERE = 2


def choose_group(t: Texts, groups: list[Group]) -> Rendered:
    if not groups:
        return Rendered(t("rota.no_groups"))
    return Rendered(
        t("groups.which"), [[Button(g.name, Callback(Action.GROUP_OPEN, g.id))] for g in groups]
    )


def _names(t: Texts, people: list[Person]) -> str:
    return Markup(", ").join(p.display_name for p in people) or t("org.nobody")


def overview(t: Texts, group: GroupOverview) -> Rendered:
    text = Markup("\n").join(
        [
            Markup("<b>{}</b>").format(group.group.name),
            t("groups.staff", names=_names(t, group.staff)),
            t("groups.coworkers", names=_names(t, group.coworkers)),
        ]
    )
    return Rendered(
        text,
        [
            [Button(t("groups.add_staff"), Callback(Action.GROUP_MENU, Menu.ADD_STAFF))],
            [Button(t("groups.move_here"), Callback(Action.GROUP_MENU, Menu.MOVE_HERE))],
        ],
    )


def choose_person(t: Texts, key: str, people: list[Person]) -> Rendered:
    if not people:
        return Rendered(t("groups.nobody_to_choose"))
    return Rendered(
        t(key),
        [[Button(p.display_name, Callback(Action.GROUP_PERSON, p.id))] for p in people],
    )
