"""The check-in questions and what they show once answered."""

from __future__ import annotations

from datetime import date

from markupsafe import Markup

from bot.i18n import Texts
from bot.telegram.callbacks import Action, Callback
from bot.telegram.rendered import Button, Rendered

MORNING_LABELS = ("checkin.green", "checkin.amber", "checkin.red")
EVENING_LABELS = ("checkin.good", "checkin.okay", "checkin.heavy")
NO_TASK = 0  # HELP's target when the help is not about a task
ANSWER_FACTOR = 10  # a check-in button's target: the day's ordinal * 10 + the answer's index


def answer_target(day: date, answer: int) -> int:
    return day.toordinal() * ANSWER_FACTOR + answer


def morning_question(t: Texts, day: date) -> Rendered:
    """ "Hur mår du idag?" with three answers in words, not colour alone."""
    return Rendered(
        t("checkin.question"),
        [
            [
                Button(t(label), Callback(Action.CHECK_IN, answer_target(day, index)))
                for index, label in enumerate(MORNING_LABELS)
            ]
        ],
    )


def evening_buttons(t: Texts, day: date) -> list[list[Button]]:
    return [
        [
            Button(t(label), Callback(Action.END_CHECK_IN, answer_target(day, index)))
            for index, label in enumerate(EVENING_LABELS)
        ]
    ]


def morning_answered(t: Texts, value: str) -> Rendered:
    """The question, the answer, a kind word; for a red answer, an offer of help."""
    text = Markup("\n").join(
        [
            t("checkin.question"),
            t("checkin.you_answered", answer=t(f"checkin.{value}")),
            Markup(),
            t(f"checkin.reply_{value}"),
        ]
    )
    if value == "red":
        return Rendered(text, [[Button(t("checkin.help"), Callback(Action.HELP, NO_TASK))]])
    return Rendered(text)


def evening_answered(t: Texts, summary: str, value: str) -> Rendered:
    """The summary as it was sent (our own markup, stored), then the answer and a kind
    word; no more buttons."""
    answer = t("checkin.you_answered", answer=t(f"checkin.{value}"))
    sent = Markup(summary)
    return Rendered(
        Markup("\n\n").join([sent, Markup("\n").join([answer, t(f"checkin.reply_{value}")])])
    )
