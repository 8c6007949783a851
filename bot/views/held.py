"""The note to a contact person that a co-worker's list waits for approval."""

from __future__ import annotations

from markupsafe import escape

from bot.i18n import Texts
from bot.telegram.callbacks import Action, Callback
from bot.telegram.rendered import Button, Rendered
from storage.models import DayPlan, Person


def held_notice(t: Texts, coworker: Person, plan: DayPlan) -> Rendered:
    """Today's list for the co-worker waits for approval; the button opens its review
    (that list, even when pressed another day)."""
    return Rendered(
        t("held.waiting", name=escape(coworker.display_name)),
        [[Button(t("held.review"), Callback(Action.REVIEW_SHOW, plan.id))]],
    )
