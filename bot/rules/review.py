"""A support person's review of a co-worker's day: what the review shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.rules.projection import ProjectedDay
from storage.models import DayPlan, Person, PlannedTask


@dataclass(frozen=True)
class Review:
    coworker: Person
    day: date
    plan: DayPlan | None
    deferred: list[tuple[PlannedTask, date]]
    projected: ProjectedDay | None = None  # the day as drafting will make it, if no plan yet
