"""What a person sees when they join or change their settings."""

from __future__ import annotations

from markupsafe import Markup, escape

from bot.i18n import LANGUAGES, Texts
from bot.rules.preferences import COMMON_MORNINGS, minutes_of
from bot.rules.responsible import Contacts
from bot.telegram.callbacks import Action, Callback
from bot.telegram.rendered import Button, Rendered
from bot.views.safety import contact_lines
from storage.models import Person, Role


def welcome(t: Texts, person: Person, contacts: Contacts | None = None) -> Rendered:
    """``contacts``: a co-worker's contact persons and who is on duty, told at once."""
    lines = [t("start.welcome", name=escape(person.display_name))]
    if person.role is Role.COWORKER:
        lines.append(t("start.explain_coworker"))
        if contacts is not None:
            lines.append(contact_lines(t, contacts))
    else:
        lines.append(t("start.explain_staff", role=t(f"role.{person.role.value}")))
    return Rendered(Markup("\n\n").join(lines))


def language_question(t: Texts) -> Rendered:
    return Rendered(
        t("join.language_question"),
        [
            [
                Button(t(f"language.{code}"), Callback(Action.LANGUAGE, index))
                for index, code in enumerate(LANGUAGES)
            ]
        ],
    )


def morning_question(t: Texts) -> Rendered:
    buttons = [
        Button(at.strftime("%H:%M"), Callback(Action.MORNING, minutes_of(at)))
        for at in COMMON_MORNINGS
    ]
    return Rendered(t("join.morning_question"), [buttons[:3], buttons[3:]])


def language_set(t: Texts) -> Rendered:
    return Rendered(t("join.language_set"))


def morning_set(t: Texts, person: Person) -> Rendered:
    return Rendered(t("join.morning_set", time=person.morning_time.strftime("%H:%M")))
