"""A co-worker's two contact persons (the Umeå model), as set and shown."""

from __future__ import annotations

from dataclasses import dataclass

from storage.models import Person


@dataclass(frozen=True)
class Contacts:
    coworker: Person
    primary: Person | None
    secondary: Person | None
