"""``/team``: today for each co-worker of a staff member's groups, as shown."""

from __future__ import annotations

from dataclasses import dataclass

from storage.models import Group, Person


@dataclass(frozen=True)
class CoworkerToday:
    coworker: Person
    check_in: str | None  # green, amber, red, or None: not answered (or no list today)
    done: int
    planned: int
    help_asked: int  # tasks where help was asked today
    unanswered: int  # messages since staff last wrote to them (today)
    # What the co-worker signalled today: a heavy day (evening check-in), the tasks put
    # off with the reason given (None: they would rather not say), reminders unanswered.
    heavy_day: bool = False
    not_today: tuple[tuple[str, str | None], ...] = ()
    reminders_unanswered: int = 0

    @property
    def signals(self) -> bool:
        return self.heavy_day or bool(self.not_today) or self.reminders_unanswered > 0

    no_contacts: bool = False  # no contact persons chosen yet


@dataclass(frozen=True)
class GroupToday:
    group: Group
    coworkers: list[CoworkerToday]
