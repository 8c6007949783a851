"""The continuity figure as text: per group, its average and worst, and per co-worker."""

from __future__ import annotations

from html import escape

from babel.numbers import format_decimal

from bot.i18n import Texts
from bot.services.continuity import DAYS, GOAL, GroupFigures
from bot.views.rendered import Rendered


def continuity_lines(t: Texts, groups: list[GroupFigures], *, html: bool = True) -> list[str]:
    def name(text: str) -> str:
        return escape(text) if html else text

    lines = [t("continuity.header", days=DAYS, goal=GOAL)]
    for group in groups:
        lines.append("")
        if group.average is None:
            lines.append(t("continuity.group_empty", group=name(group.group.name)))
            continue
        average = format_decimal(round(group.average, 1), locale=t.language)
        lines.append(
            t(
                "continuity.group",
                group=name(group.group.name),
                average=average,
                worst=group.worst,
            )
        )
        for figure in sorted(group.figures, key=lambda f: (-f.staff, f.coworker.display_name)):
            mark = "✅" if figure.staff <= GOAL else "⚠️"
            lines.append(f"{mark} {name(figure.coworker.display_name)}: {figure.staff}")
    return lines


def continuity_view(t: Texts, groups: list[GroupFigures]) -> Rendered:
    if not groups:
        return Rendered(t("invite.no_groups"))
    return Rendered("\n".join(continuity_lines(t, groups)))
