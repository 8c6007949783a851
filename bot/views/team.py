"""The staff's view of the day: one compact message, one line per co-worker."""

from __future__ import annotations

from datetime import date

from markupsafe import Markup

from bot.i18n import Texts
from bot.rules.team import CoworkerToday, GroupToday
from bot.telegram.callbacks import ReviewDay
from bot.telegram.rendered import Button, Rendered
from bot.views.signals import reason_words

CHECK_IN_MARKS = {"green": "🟢", "amber": "🟡", "red": "🔴"}


def team_view(t: Texts, today: date, groups: list[GroupToday]) -> Rendered:
    if not groups:
        return Rendered(t("invite.no_groups"))
    lines = [t("team.header", day=t.day_in_words(today))]
    rows: list[list[Button]] = []
    for group in groups:
        lines += [Markup(), Markup("<b>{}</b>").format(group.group.name)]
        if not group.coworkers:
            lines.append(t("team.no_coworkers"))
        for row in group.coworkers:
            lines.append(_line(t, row))
            rows.append(
                [
                    Button(
                        row.coworker.display_name,
                        ReviewDay(row.coworker.id, 0).callback(),  # today's list
                    )
                ]
            )
    lines += [Markup(), t("team.legend")]
    if any(row.signals for group in groups for row in group.coworkers):
        lines.append(t("team.legend_signals"))
    return Rendered(Markup("\n").join(lines), rows)


def _line(t: Texts, row: CoworkerToday) -> Markup:
    mark = CHECK_IN_MARKS.get(row.check_in or "", "⚪")
    parts = [Markup("{} {}").format(mark, row.coworker.display_name)]
    if row.planned:
        parts.append(t("team.done_of", done=row.done, planned=row.planned))
    else:
        parts.append(t("team.no_list"))
    if row.help_asked:
        parts.append(Markup("🙋 {}").format(row.help_asked))
    if row.unanswered:
        parts.append(Markup("✉️ {}").format(row.unanswered))
    if row.no_contacts:
        parts.append(t("team.no_contacts"))
    if row.heavy_day:
        parts.append(Markup("😞"))
    if row.reminders_unanswered:
        parts.append(Markup("🔕 {}").format(row.reminders_unanswered))
    lines = [Markup(" · ").join(parts)]
    for title, reason in row.not_today:
        lines.append(Markup("   ⏭ {}: {}").format(title, reason_words(t, reason)))
    return Markup("\n").join(lines)
