"""The planning lines a support person reads: waiting, deferral, over capacity."""

from __future__ import annotations

from datetime import date

from markupsafe import Markup

from bot.i18n import Texts
from bot.services.drafting import days_waited
from bot.services.drafting_rules import DeferReason
from storage.models import PlannedTask


def waited_line(t: Texts, task: PlannedTask, on: date) -> Markup | None:
    """ "Has waited 3 days" for a carried task, else ``None``."""
    days = days_waited(task, on)
    if days <= 0:
        return None
    if days == 1:
        return t("planning.waited_one")
    return t("planning.waited_many", days=days)


def deferral_line(t: Texts, title: str, reason: str, to_day: date) -> Markup:
    """Why a task is not on the day, and where it went, for the support person."""
    text = {
        DeferReason.CAPACITY.value: t("planning.deferred_capacity"),
        DeferReason.TOO_HEAVY.value: t("planning.deferred_too_heavy"),
    }.get(reason, t("planning.deferred_other"))
    return t("planning.deferred_line", title=title, day=t.day_in_words(to_day), reason=text)


def over_capacity_line(t: Texts, title: str, strain: int, capacity: int) -> Markup:
    return t("planning.over_capacity", title=title, strain=strain, capacity=capacity)
