"""Who hears a co-worker (a message, a call for help), and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.models import Person


@dataclass(frozen=True)
class Hearer:
    person: Person | None  # None: nobody can be told at all
    at: datetime | None = None  # when they can be told, if not now
    on_duty: bool = False  # whether they are on duty now
