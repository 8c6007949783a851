"""A recurring task as shown: the recurrence and its catalogue task."""

from __future__ import annotations

from dataclasses import dataclass

from storage.models import Recurrence, TaskTemplate


@dataclass(frozen=True)
class Repeating:
    """A recurring task as shown: the recurrence and its catalogue task."""

    recurrence: Recurrence
    template: TaskTemplate
