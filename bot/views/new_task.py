"""The guided conversation in which a support person adds a task to the catalogue."""

from __future__ import annotations

import enum

from markupsafe import Markup, escape

from bot.i18n import Texts
from bot.rules.template_draft import TemplateDraft
from bot.telegram.callbacks import Action, Callback
from bot.telegram.rendered import Button, Rendered
from bot.views.morning import full_instructions

MINUTE_CHOICES = (15, 30, 45, 60)


class Choice(enum.IntEnum):
    STEPS_DONE = 1
    SUPPORT_YES = 2
    SUPPORT_NO = 3
    ATTACHMENTS_DONE = 4
    SAVE = 5
    DISCARD = 6
    STRAIN = 10  # + strain 1–3
    MINUTES = 100  # + minutes


def _button(label: str, target: int) -> Button:
    return Button(label, Callback(Action.NEW_TASK, target))


def ask(t: Texts, key: str, **values: object) -> Rendered:
    return Rendered(t(key, **values))


def ask_steps(t: Texts, key: str = "newtask.steps_with_pictures") -> Rendered:
    return Rendered(t(key), [[_button(t("newtask.steps_done"), Choice.STEPS_DONE)]])


def step_saved(t: Texts, number: int, key: str = "newtask.step_saved") -> Rendered:
    return Rendered(t(key, number=number), [[_button(t("newtask.steps_done"), Choice.STEPS_DONE)]])


def ask_strain(t: Texts) -> Rendered:
    return Rendered(
        t("newtask.strain"),
        [[_button(t(f"strain.{n}"), Choice.STRAIN + n) for n in (1, 2, 3)]],
    )


def ask_minutes(t: Texts) -> Rendered:
    return Rendered(
        t("newtask.minutes"),
        [[_button(str(m), Choice.MINUTES + m) for m in MINUTE_CHOICES]],
    )


def ask_support(t: Texts) -> Rendered:
    return Rendered(
        t("newtask.with_support"),
        [
            [
                _button(t("newtask.yes"), Choice.SUPPORT_YES),
                _button(t("newtask.no"), Choice.SUPPORT_NO),
            ]
        ],
    )


def ask_attachments(t: Texts, count: int = 0) -> Rendered:
    key = "newtask.attachments" if count == 0 else "newtask.attachment_saved"
    return Rendered(
        t(key, count=count), [[_button(t("newtask.attachments_done"), Choice.ATTACHMENTS_DONE)]]
    )


def preview(t: Texts, draft: TemplateDraft) -> Rendered:
    template = draft.template()
    lines = [t("newtask.preview"), "", *full_instructions(t, template), ""]
    lines.append(t("newtask.summary", strain=t(f"strain.{draft.strain}"), minutes=draft.minutes))
    if draft.with_support:
        lines.append(t("newtask.summary_support", part=escape(draft.support_part or "")))
    if draft.attachments:
        lines.append(t("newtask.summary_attachments", count=len(draft.attachments)))
    return Rendered(
        Markup("\n").join(lines),
        [[_button(t("newtask.save"), Choice.SAVE), _button(t("newtask.discard"), Choice.DISCARD)]],
    )
