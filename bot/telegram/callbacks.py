"""Inline-button data: short, versionless strings like ``d:42``.

Only what the button is about travels in it; who is pressing always comes from
the update's sender, and every handler checks they may act on it.
"""

from __future__ import annotations

import enum
from dataclasses import astuple, dataclass
from typing import ClassVar, Self


class Action(enum.StrEnum):
    OPEN_TASK = "o"
    DONE = "d"
    TODAY = "t"
    LANGUAGE = "l"  # target: index in bot.i18n.LANGUAGES
    MORNING = "m"  # target: minutes after midnight
    INVITE_ROLE = "r"  # target: index in bot.services.people.invites.INVITABLE
    INVITE_GROUP = "g"  # target: group id
    INVITE_CONTACT = "R"  # target: a support person's id, or 0 for "choose later"
    CONTACT_COWORKER = "c"  # target: the co-worker's person id
    CONTACT_PRIMARY = "p"  # target: a support person's id
    CONTACT_SECONDARY = "s"  # target: a support person's id
    NEW_TASK = "n"  # target: a bot.views.new_task.Choice
    GROUP_OPEN = "a"  # target: group id
    GROUP_MENU = "b"  # target: a bot.views.groups.Menu
    GROUP_PERSON = "e"  # target: a person id
    REVIEW_COWORKER = "P"  # target: the co-worker's id
    REVIEW_DAY = "D"  # target: co-worker id * 100 + days from today
    REVIEW_UP = "U"  # target: planned task id
    REVIEW_DOWN = "W"  # target: planned task id
    REVIEW_REMOVE = "X"  # target: planned task id
    REVIEW_APPROVE = "Y"  # target: day plan id
    REVIEW_SHOW = "S"  # target: day plan id
    REVIEW_TIME = "C"  # target: planned task id (opens the time picker)
    REVIEW_SET_TIME = "Q"  # target: planned task id * 10000 + minutes after midnight (or NO_TIME)
    REVIEW_SUPPORT = "H"  # target: planned task id (toggles "with support")
    REVIEW_ADD = "A"  # target: co-worker id * 1000000 + the day's ordinal
    REVIEW_APPROVE_ALL = "Z"  # target: the day's ordinal
    ADD_COWORKER = "k"  # target: the co-worker's id
    ADD_PICK = "K"  # target: task template id
    ADD_OFTEN = "F"  # target: index in bot.views.add_task.OFTEN
    ADD_DAY = "J"  # target: days from today
    ADD_WEEKDAY = "V"  # target: 0 (Monday) to 6 toggles a weekday; 7 means done
    ADD_TIME = "I"  # target: minutes after midnight (or NO_TIME)
    SHOW_STEPS = "v"  # target: planned task id
    TICK_STEP = "x"  # target: planned task id * 100 + step index (0-based)
    DONE_ANYWAY = "j"  # target: planned task id (done, though steps are unticked)
    HELP = "q"  # target: planned task id, or 0 for help not about a task
    NOT_TODAY = "y"  # target: planned task id (asks for a reason)
    NOT_TODAY_REASON = "z"  # target: planned task id * 10 + index of the reason
    LATER = "w"  # target: planned task id (offers snooze times)
    SNOOZE = "u"  # target: planned task id * 1000 + minutes
    CHECK_IN = "f"  # target: the day's ordinal * 10 + answer (0 green, 1 amber, 2 red)
    END_CHECK_IN = "i"  # target: the day's ordinal * 10 + answer
    PREVIEW = "h"  # target: 1 turns the evening preview on, 0 off
    SEND_TO = "B"  # target: the co-worker's id (/send)
    BROADCAST_GROUP = "G"  # target: group id (/broadcast)
    ACKNOWLEDGE = "E"  # target: help request id ("I'm on it")
    QUIET = "N"  # target: minutes after midnight when the evening's quiet hours begin
    CAPACITY = "O"  # target: co-worker id * DAY_FACTOR + the reviewed day's ordinal
    REPEAT_LIST = "2"  # target: the co-worker's id (their recurring tasks)
    REPEAT = "T"  # target: recurrence id * 100 + a bot.views.recurring.Op
    REPEAT_DAYS = "L"  # target: recurrence id * 256 + 128 if saving + bitmask of weekdays
    REPEAT_TIME = "1"  # target: recurrence id * TIME_FACTOR + minutes after midnight (or NO_TIME)
    CAPACITY_SET = "M"  # target: (co-worker id * DAY_FACTOR + ordinal) * 100 + points (0: back)
    # target: (co-worker id * DAY_FACTOR + ordinal) * 100 + weekday * 14 + a choice
    # (0 shows the weekday's chooser, 1-12 points, 13 as other days): bot.views.capacity
    CAPACITY_WEEKDAY = "9"


NO_TIME = 9999  # a time target meaning "no set time"
DAY_FACTOR = 1_000_000  # co-worker id * DAY_FACTOR + date.toordinal() (ordinals stay below)
TIME_FACTOR = 10_000  # task id * TIME_FACTOR + minutes after midnight
MAX_ID = 2**31 - 1  # the database's id columns are 32-bit


@dataclass(frozen=True)
class Callback:
    action: Action
    target: int | None = None

    def encode(self) -> str:
        return self.action.value if self.target is None else f"{self.action.value}:{self.target}"


def decode(data: str | None) -> Callback | None:
    """The callback in ``data``, or None when it is not one of ours (stale or forged)."""
    if not data or len(data) > 64:
        return None
    head, _, tail = data.partition(":")
    try:
        action = Action(head)
    except ValueError:
        return None
    if not tail:
        return Callback(action)
    if not tail.isdigit() or len(tail) > 18:
        return None
    target = int(tail)
    if target // _PACKED.get(action, 1) > MAX_ID:
        return None  # no row has such an id: forged (it would not fit the column either)
    return Callback(action, target)


# Buttons about two or three things at once pack them into one number, the id first:
# ``id * factor + the rest``. Each such action has its own type below, so a view and its
# door pack and unpack the same way; the strings on the wire are as they always were.


@dataclass(frozen=True)
class _Pair:
    """Two numbers in one target, ``first * FACTOR + second``; the first is an id."""

    ACTION: ClassVar[Action]
    FACTOR: ClassVar[int]

    def callback(self) -> Callback:
        first, second = astuple(self)
        return Callback(self.ACTION, first * self.FACTOR + second)

    @classmethod
    def decode(cls, target: int) -> Self:
        first, second = divmod(target, cls.FACTOR)
        return cls(first, second)  # type: ignore[call-arg]  # each subclass has the two fields


@dataclass(frozen=True)
class ReviewDay(_Pair):
    """REVIEW_DAY: a co-worker's list ``days_ahead`` days from today."""

    ACTION = Action.REVIEW_DAY
    FACTOR = 100
    coworker_id: int
    days_ahead: int


@dataclass(frozen=True)
class TickStep(_Pair):
    """TICK_STEP: a step (0-based) of a planned task."""

    ACTION = Action.TICK_STEP
    FACTOR = 100
    task_id: int
    index: int


@dataclass(frozen=True)
class NotTodayReason(_Pair):
    """NOT_TODAY_REASON: why a planned task is put off (index of the reason)."""

    ACTION = Action.NOT_TODAY_REASON
    FACTOR = 10
    task_id: int
    index: int


@dataclass(frozen=True)
class Snooze(_Pair):
    """SNOOZE: a planned task's reminder put off by ``minutes``."""

    ACTION = Action.SNOOZE
    FACTOR = 1000
    task_id: int
    minutes: int


@dataclass(frozen=True)
class ReviewTime(_Pair):
    """REVIEW_SET_TIME: a planned task's time, minutes after midnight (or NO_TIME)."""

    ACTION = Action.REVIEW_SET_TIME
    FACTOR = TIME_FACTOR
    task_id: int
    minutes: int


@dataclass(frozen=True)
class CoworkerDay:
    """A co-worker and a day (``date.toordinal()``): REVIEW_ADD (➕ in a review) and
    CAPACITY (the stamina picker) carry it."""

    FACTOR: ClassVar[int] = DAY_FACTOR
    coworker_id: int
    ordinal: int

    @property
    def target(self) -> int:
        return self.coworker_id * self.FACTOR + self.ordinal

    def callback(self, action: Action) -> Callback:
        return Callback(action, self.target)

    @classmethod
    def decode(cls, target: int) -> CoworkerDay:
        return cls(*divmod(target, cls.FACTOR))


@dataclass(frozen=True)
class CapacitySet:
    """CAPACITY_SET: a co-worker's usual stamina chosen from a day's review (0: back)."""

    ACTION: ClassVar[Action] = Action.CAPACITY_SET
    FACTOR: ClassVar[int] = 100
    day: CoworkerDay
    points: int

    def callback(self) -> Callback:
        return Callback(self.ACTION, self.day.target * self.FACTOR + self.points)

    @classmethod
    def decode(cls, target: int) -> CapacitySet:
        day, points = divmod(target, cls.FACTOR)
        return cls(CoworkerDay.decode(day), points)


@dataclass(frozen=True)
class WeekdayCapacity:
    """CAPACITY_WEEKDAY: a weekday's own stamina; ``choice`` is bot.views.capacity's
    (0 shows the weekday's chooser, 1-12 are points, 13 as the other days)."""

    ACTION: ClassVar[Action] = Action.CAPACITY_WEEKDAY
    FACTOR: ClassVar[int] = 100
    WEEKDAY_FACTOR: ClassVar[int] = 14
    day: CoworkerDay
    weekday: int
    choice: int

    def callback(self) -> Callback:
        packed = self.weekday * self.WEEKDAY_FACTOR + self.choice
        return Callback(self.ACTION, self.day.target * self.FACTOR + packed)

    @classmethod
    def decode(cls, target: int) -> WeekdayCapacity:
        day, packed = divmod(target, cls.FACTOR)
        return cls(CoworkerDay.decode(day), *divmod(packed, cls.WEEKDAY_FACTOR))


@dataclass(frozen=True)
class RepeatOp(_Pair):
    """REPEAT: something done to a recurring task (a bot.views.recurring.Op)."""

    ACTION = Action.REPEAT
    FACTOR = 100
    recurrence_id: int
    op: int


@dataclass(frozen=True)
class RepeatDays:
    """REPEAT_DAYS: a recurring task's weekdays (a bitmask, Monday = 1), chosen so far
    or, with ``save``, to keep."""

    ACTION: ClassVar[Action] = Action.REPEAT_DAYS
    FACTOR: ClassVar[int] = 256
    SAVE: ClassVar[int] = 128
    recurrence_id: int
    mask: int
    save: bool = False

    def callback(self) -> Callback:
        rest = (self.SAVE if self.save else 0) + self.mask
        return Callback(self.ACTION, self.recurrence_id * self.FACTOR + rest)

    @classmethod
    def decode(cls, target: int) -> RepeatDays:
        recurrence_id, rest = divmod(target, cls.FACTOR)
        return cls(recurrence_id, rest & ~cls.SAVE, bool(rest & cls.SAVE))


@dataclass(frozen=True)
class RepeatTime(_Pair):
    """REPEAT_TIME: a recurring task's time, minutes after midnight (or NO_TIME)."""

    ACTION = Action.REPEAT_TIME
    FACTOR = TIME_FACTOR
    recurrence_id: int
    minutes: int


# Targets that pack an id with something smaller: the id is target // factor.
_PACKED = {
    ReviewDay.ACTION: ReviewDay.FACTOR,
    TickStep.ACTION: TickStep.FACTOR,
    NotTodayReason.ACTION: NotTodayReason.FACTOR,
    Snooze.ACTION: Snooze.FACTOR,
    ReviewTime.ACTION: ReviewTime.FACTOR,
    Action.REVIEW_ADD: CoworkerDay.FACTOR,
    Action.CAPACITY: CoworkerDay.FACTOR,
    CapacitySet.ACTION: CoworkerDay.FACTOR * CapacitySet.FACTOR,
    WeekdayCapacity.ACTION: CoworkerDay.FACTOR * WeekdayCapacity.FACTOR,
    RepeatOp.ACTION: RepeatOp.FACTOR,
    RepeatDays.ACTION: RepeatDays.FACTOR,
    RepeatTime.ACTION: RepeatTime.FACTOR,
}
