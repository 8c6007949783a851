"""How a carried-over task is marked on a list: kindly, and never as new once seen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.i18n import Texts
from bot.views.morning import from_note, seen_since

MON, TUE, WED, THU, FRI = (date(2027, 1, d) for d in range(4, 9))  # Wednesday: Epiphany
NEXT_MON = date(2027, 1, 11)


@dataclass(frozen=True)
class Task:
    seen_on: date | None = None


def note(task: Task, day: date) -> str | None:
    since = seen_since(task, day)
    return None if since is None else from_note(Texts("sv"), since, day)


def test_a_task_from_a_list_the_coworker_had_says_from_when() -> None:
    assert note(Task(seen_on=MON), TUE) == "från igår"
    assert note(Task(seen_on=TUE), THU) == "från i tisdags"  # Wednesday was a holiday
    assert note(Task(seen_on=FRI), NEXT_MON) == "från i fredags"


def test_a_task_not_seen_on_a_list_says_nothing_of_the_kind() -> None:
    assert note(Task(), TUE) is None
    assert note(Task(seen_on=TUE), TUE) is None


def test_english() -> None:
    assert from_note(Texts("en"), MON, TUE) == "from yesterday"
    assert from_note(Texts("en"), FRI, NEXT_MON) == "from Friday"
