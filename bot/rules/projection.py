"""The coming days as drafting will make them: the values a projection is shown as."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from storage.models import PlanStatus


@dataclass(frozen=True)
class ProjectedTask:
    title: str
    strain: int
    at: time | None
    first_time: bool
    with_support: bool
    carried_from: date | None
    seen_on: date | None


@dataclass(frozen=True)
class ProjectedDeferral:
    title: str
    reason: str
    to_day: date


@dataclass(frozen=True)
class ProjectedDay:
    day: date
    status: PlanStatus | None  # the stored plan's status; None: not drafted yet
    tasks: tuple[ProjectedTask, ...]
    deferred: tuple[ProjectedDeferral, ...]

    @property
    def final(self) -> bool:
        """Approved or sent: drafting will not change it any more."""
        return self.status in (PlanStatus.APPROVED, PlanStatus.SENT)
