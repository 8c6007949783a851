"""How long a carried task has waited: counted from the day it was first planned for."""

from __future__ import annotations

from datetime import date
from typing import Protocol


class Carried(Protocol):
    """What :func:`days_waited` needs of a task (a ``PlannedTask`` row fits)."""

    @property
    def carried_from(self) -> date | None: ...


def days_waited(task: Carried, on: date) -> int:
    """How many days a carried task has waited since it was first planned (0 if new)."""
    return (on - task.carried_from).days if task.carried_from is not None else 0
