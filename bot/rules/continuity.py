"""The continuity figure: its period, its goal, and the figures of a group (see
:mod:`bot.services.people.continuity` for how they are counted)."""

from __future__ import annotations

from dataclasses import dataclass

from storage.models import Group, Person

DAYS = 14
GOAL = 2


@dataclass(frozen=True)
class Figure:
    coworker: Person
    staff: int  # different staff met in the period


@dataclass(frozen=True)
class GroupFigures:
    group: Group
    figures: list[Figure]

    @property
    def average(self) -> float | None:
        if not self.figures:
            return None
        return sum(f.staff for f in self.figures) / len(self.figures)

    @property
    def worst(self) -> int | None:
        return max((f.staff for f in self.figures), default=None)
