"""Who is responsible for a co-worker now: what the co-worker is told about their people."""

from __future__ import annotations

from dataclasses import dataclass

from storage.models import Person


@dataclass(frozen=True)
class Contacts:
    """What a co-worker is told about their people: both contact persons, and who is on
    duty now (None: nobody is on a shift now)."""

    primary: Person | None
    secondary: Person | None
    on_duty: Person | None
