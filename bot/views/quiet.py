"""The quiet-hours question in /settings, and its answer."""

from __future__ import annotations

from datetime import time

from markupsafe import Markup

from bot.i18n import Texts
from bot.rules.preferences import QUIET_END, QUIET_STARTS, minutes_of
from bot.telegram.callbacks import Action, Callback
from bot.telegram.rendered import Button, Rendered
from storage.models import Person


def quiet_question(t: Texts, person: Person) -> Rendered:
    text = Markup("\n").join(
        [
            t("quiet.question", end=f"{QUIET_END:%H:%M}"),
            t("quiet.now", start=f"{person.quiet_start:%H:%M}", end=f"{person.quiet_end:%H:%M}"),
        ]
    )
    buttons = [
        Button(f"{start:%H:%M}", Callback(Action.QUIET, minutes_of(start)))
        for start in QUIET_STARTS
    ]
    return Rendered(text, [buttons[:3], buttons[3:]])


def quiet_set(t: Texts, start: time, end: time, lost_preview: time | None = None) -> Rendered:
    """``lost_preview``: the time of an evening preview the quiet hours now cover."""
    text = t("quiet.set", start=f"{start:%H:%M}", end=f"{end:%H:%M}")
    if lost_preview is not None:
        text += "\n\n" + t("safety.preview_in_quiet", time=f"{lost_preview:%H:%M}")
    return Rendered(text)
