"""A task's steps with their own pictures, the way the co-worker gets them.

For people who follow picture instructions each picture comes with its step: in order,
a step with a picture is that picture with the step as its caption, and the steps
between (without a picture) are one text message each run. The card above keeps the
buttons to tick the steps; the task's own attachments come after the steps.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from bot.i18n import Texts
from storage.models import TaskTemplate

PICTURE_MARK = "📷"


@dataclass(frozen=True)
class StepMessage:
    text: Markup  # the caption of the picture, or the text of the steps without one
    photo: str | None = None  # Telegram's file id of the step's picture


def has_step_pictures(template: TaskTemplate) -> bool:
    return any(step.photo_file_id for step in template.steps)


def step_line(number: int, text: str) -> Markup:
    return Markup("{}. {}").format(number, text)


def step_messages(template: TaskTemplate) -> list[StepMessage]:
    """The steps as messages, in order; none when no step has a picture (the card's
    list of steps says it all then)."""
    if not has_step_pictures(template):
        return []
    messages: list[StepMessage] = []
    without: list[Markup] = []
    for number, step in enumerate(template.steps, 1):
        line = step_line(number, step.text)
        if step.photo_file_id is None:
            without.append(line)
            continue
        if without:
            messages.append(StepMessage(Markup("\n").join(without)))
            without = []
        messages.append(StepMessage(line, step.photo_file_id))
    if without:
        messages.append(StepMessage(Markup("\n").join(without)))
    return messages


def steps_below(t: Texts) -> Markup:
    """What the card says instead of the list of steps when the steps come with pictures."""
    return t("card.steps_with_pictures")
