"""The continuity figure as text: per group, its average and worst, and per co-worker."""

from __future__ import annotations

from collections.abc import Callable

from babel.numbers import format_decimal
from markupsafe import Markup

from bot.i18n import PlainTexts, Texts
from bot.rules.continuity import DAYS, GOAL, GroupFigures
from bot.telegram.rendered import Rendered


def continuity_lines(
    t: Texts | PlainTexts, groups: list[GroupFigures], *, html: bool = True
) -> list[str]:
    """Markup lines for a message (``html``), or plain ones for the chart."""
    say = t if html else t.plain
    line: Callable[..., str] = Markup("{} {}: {}").format if html else "{} {}: {}".format

    def name(text: str) -> str:
        return text

    lines: list[str] = [say("continuity.header", days=DAYS, goal=GOAL)]
    for group in groups:
        lines.append(Markup() if html else "")
        if group.average is None:
            lines.append(say("continuity.group_empty", group=name(group.group.name)))
            continue
        average = format_decimal(round(group.average, 1), locale=t.language)
        lines.append(
            say(
                "continuity.group",
                group=name(group.group.name),
                average=average,
                worst=group.worst,
            )
        )
        for figure in sorted(group.figures, key=lambda f: (-f.staff, f.coworker.display_name)):
            mark = "✅" if figure.staff <= GOAL else "⚠️"
            lines.append(line(mark, figure.coworker.display_name, figure.staff))
    return lines


def continuity_view(t: Texts, groups: list[GroupFigures]) -> Rendered:
    if not groups:
        return Rendered(t("invite.no_groups"))
    return Rendered(Markup("\n").join(continuity_lines(t, groups)))
