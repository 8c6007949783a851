"""A group as the views show it: the group, its staff and its co-workers (a value)."""

from __future__ import annotations

from dataclasses import dataclass

from storage.models import Group, Person


@dataclass(frozen=True)
class GroupOverview:
    group: Group
    staff: list[Person]
    coworkers: list[Person]
