"""The co-worker's end-of-day summary: what they did, by name, what moves on (no blame),
and a one-tap "Hur var din dag?"."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from babel.dates import format_date
from markupsafe import Markup

from bot.i18n import Texts
from bot.telegram.rendered import Rendered
from bot.views.checkins import evening_buttons
from bot.views.titles import MAX_WORDS, Detail, fits, named, things, word_count


def when_words(t: Texts, today: date, next_day: date) -> str:
    """ "imorgon", or "på måndag" when the next working day is further off."""
    if next_day == today + timedelta(days=1):
        return t("summary.tomorrow")
    return t("summary.on_day", weekday=format_date(next_day, "EEEE", locale=t.language))


def summary_body(
    t: Texts, done: Sequence[str], moving: Sequence[str], when: str, limit: int
) -> Markup:
    """What was done and what moves, naming as many tasks as ``limit`` words allow."""

    def build(detail: Detail) -> Markup:
        lines = []
        if not done:
            lines.append(t("summary.nothing_done"))
        elif detail.names:
            lines.append(
                t(
                    "summary.done",
                    things=things(t, len(done)),
                    titles=named(t, done, detail, and_last=True),
                )
            )
        else:
            lines.append(t("summary.done_count", things=things(t, len(done))))
        if moving:
            lines.append(
                t("summary.moves", titles=named(t, moving, detail, and_last=True), when=when)
            )
        return Markup("\n").join(lines)

    return fits(build, limit)


def summary(
    t: Texts,
    day: date,
    next_day: date,
    done: Sequence[str],
    moving: Sequence[str],
) -> tuple[Markup, Rendered]:
    """The body (kept, to show again once the question is answered) and the message."""
    question = t("summary.question")
    when = when_words(t, day, next_day)
    body = summary_body(t, done, moving, when, MAX_WORDS - word_count(question))
    return body, Rendered(Markup("\n\n").join([body, question]), evening_buttons(t, day))
