"""The staff's view of the day: one compact message, one line per co-worker."""

from __future__ import annotations

from datetime import date
from html import escape

from bot.callbacks import Action, Callback
from bot.i18n import Texts
from bot.services.team import CoworkerToday, GroupToday
from bot.views.rendered import Button, Rendered
from bot.views.signals import reason_words

CHECK_IN_MARKS = {"green": "🟢", "amber": "🟡", "red": "🔴"}


def team_view(t: Texts, today: date, groups: list[GroupToday]) -> Rendered:
    if not groups:
        return Rendered(t("invite.no_groups"))
    lines = [t("team.header", day=t.day_in_words(today))]
    rows: list[list[Button]] = []
    for group in groups:
        lines += ["", f"<b>{escape(group.group.name)}</b>"]
        if not group.coworkers:
            lines.append(t("team.no_coworkers"))
        for row in group.coworkers:
            lines.append(_line(t, row))
            rows.append(
                [
                    Button(
                        row.coworker.display_name,
                        Callback(Action.REVIEW_DAY, row.coworker.id * 100),  # today's list
                    )
                ]
            )
    lines += ["", t("team.legend")]
    if any(row.signals for group in groups for row in group.coworkers):
        lines.append(t("team.legend_signals"))
    return Rendered("\n".join(lines), rows)


def _line(t: Texts, row: CoworkerToday) -> str:
    mark = CHECK_IN_MARKS.get(row.check_in or "", "⚪")
    parts = [f"{mark} {escape(row.coworker.display_name)}"]
    if row.planned:
        parts.append(t("team.done_of", done=row.done, planned=row.planned))
    else:
        parts.append(t("team.no_list"))
    if row.help_asked:
        parts.append(f"🙋 {row.help_asked}")
    if row.unanswered:
        parts.append(f"✉️ {row.unanswered}")
    if row.no_contacts:
        parts.append(t("team.no_contacts"))
    if row.heavy_day:
        parts.append("😞")
    if row.reminders_unanswered:
        parts.append(f"🔕 {row.reminders_unanswered}")
    lines = [" · ".join(parts)]
    for title, reason in row.not_today:
        lines.append(f"   ⏭ {escape(title)}: {escape(reason_words(t, reason))}")
    return "\n".join(lines)
