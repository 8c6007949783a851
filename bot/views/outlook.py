"""What a co-worker sees of the coming and the past days: /week, /history, the evening
preview, and the preview's choice in /settings."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, time

from babel.dates import format_date
from markupsafe import Markup

from bot.i18n import Texts
from bot.telegram.callbacks import Action, Callback
from bot.telegram.rendered import Button, Rendered
from bot.views.titles import Detail, fits, named

PREVIEW_ON, PREVIEW_OFF = 1, 0  # PREVIEW's targets
NL = Markup("\n")


class Days:
    """One line per day: the day, then its titles; ``not_final`` days are marked so."""

    def __init__(
        self,
        t: Texts,
        days: Sequence[tuple[date, Sequence[str]]],
        not_final: Collection[date] = (),
    ) -> None:
        self.t = t
        self.days = days
        self.not_final = not_final

    def _label(self, day: date) -> str:
        label = day_label(self.t, day)
        return f"{label} {self.t('week.not_final')}" if day in self.not_final else label

    def lines(self, detail: Detail) -> list[Markup]:
        return [
            Markup("{}: {}").format(self._label(day), named(self.t, titles, detail, and_last=False))
            for day, titles in self.days
        ]


def day_label(t: Texts, day: date) -> str:
    """ "Onsdag 25/11"."""
    label = format_date(day, "EEEE d/M", locale=t.language)
    return label[:1].upper() + label[1:]


def week(
    t: Texts, days: Sequence[tuple[date, Sequence[str]]], not_final: Collection[date] = ()
) -> Rendered:
    if not days:
        return Rendered(t("week.nothing"))
    lines = Days(t, days, not_final)
    return Rendered(
        fits(
            lambda detail: NL.join(
                [t("week.title"), *lines.lines(detail), Markup(), t("week.may_change")]
            )
        )
    )


def history(t: Texts, days: Sequence[tuple[date, Sequence[str]]], streak: int) -> Rendered:
    """What was done, day by day; days with nothing done are left out, without a word."""
    if not days:
        return Rendered(t("history.nothing"))
    lines = Days(t, days)
    after = [Markup(), t("history.streak", count=streak)] if streak >= 2 else []
    return Rendered(
        fits(lambda detail: NL.join([t("history.title"), *lines.lines(detail), *after]))
    )


def preview(t: Texts, titles: Sequence[str]) -> Rendered:
    """ "Imorgon: Vattna blommorna, Torka borden." """
    return Rendered(
        fits(lambda detail: t("preview.text", titles=named(t, titles, detail, and_last=False)))
    )


def preview_question(t: Texts, on: bool) -> Rendered:
    now = t("preview.now_on") if on else t("preview.now_off")
    return Rendered(
        NL.join([t("preview.question"), now]),
        [
            [
                Button(t("preview.yes"), Callback(Action.PREVIEW, PREVIEW_ON)),
                Button(t("preview.no"), Callback(Action.PREVIEW, PREVIEW_OFF)),
            ]
        ],
    )


def preview_set(t: Texts, on: bool, at: time) -> Rendered:
    if on:
        return Rendered(t("preview.turned_on", time=at.strftime("%H:%M")))
    return Rendered(t("preview.turned_off"))
