"""Check-ins: "Hur mår du idag?" after the morning list, and "Hur var din dag?" under the
end-of-day summary. One tap each, recorded once.

The first answer of the day counts. After it, the question's buttons are gone, so a
second press is a double tap or an old client, not a considered change; and a red
answer may already have reached staff, so it must not silently turn green. A
co-worker who feels different later can write to their support person.

A press is only taken for today's question, when that question was sent to the
person pressing (its outbox row exists) and the press came from the question itself.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.i18n import Texts
from bot.outbox.queue import Queued, message, queue
from bot.rules.localtime import local_moment
from bot.services.day import escalation, signals
from bot.views.checkins import ANSWER_FACTOR, morning_question
from storage.models import CheckInKind, Person
from storage.repos import checkins as repo
from storage.repos import outbox as outbox_repo

log = logging.getLogger(__name__)

KIND = "checkin"
RED = "red"
MORNING_ANSWERS = ("green", "amber", RED)
HEAVY = "heavy"
EVENING_ANSWERS = ("good", "okay", HEAVY)


def morning_key(person_id: int, day: date) -> str:
    return f"checkin:{person_id}:{day.isoformat()}"


def summary_key_parts(day: date) -> tuple[str, str]:
    """The end-of-day summary's key (it carries the evening question) is
    ``prefix + person id + suffix``; queries look for it in these parts."""
    return "summary:", f":{day.isoformat()}"


def summary_key(person_id: int, day: date) -> str:
    prefix, suffix = summary_key_parts(day)
    return f"{prefix}{person_id}{suffix}"


async def queue_morning_question(
    services: Services, session: AsyncSession, person: Person, day: date, now: datetime
) -> bool:
    """Queue "Hur mår du idag?" (right after the morning list, in the same transaction)."""
    return await queue(
        services,
        session,
        person,
        morning_question(Texts(person.language), day),
        key=morning_key(person.id, day),
        kind=KIND,
        not_before=now,
        useful_until=local_moment(day + timedelta(days=1), time(0), services.zone),
    )


def morning_question_message(services: Services, person: Person, day: date) -> Queued:
    """ "Hur mår du idag?" for ``day``, as the outbox holds it (useful until midnight)."""
    return message(
        person,
        morning_question(Texts(person.language), day),
        key=morning_key(person.id, day),
        kind=KIND,
        useful_until=local_moment(day + timedelta(days=1), time(0), services.zone),
    )


@dataclass(frozen=True)
class Question:
    kind: CheckInKind
    answers: tuple[str, ...]

    def key(self, person_id: int, day: date) -> str:
        if self.kind is CheckInKind.MORNING:
            return morning_key(person_id, day)
        return summary_key(person_id, day)


MORNING = Question(CheckInKind.MORNING, MORNING_ANSWERS)
EVENING = Question(CheckInKind.EVENING, EVENING_ANSWERS)


class Outcome(enum.Enum):
    RECORDED = "recorded"
    ALREADY_ANSWERED = "already_answered"  # the first answer stands
    OLD_DAY = "old_day"  # a question from another day
    NOT_ASKED = "not_asked"  # forged, foreign, or not a question we sent


@dataclass(frozen=True)
class CheckInResult:
    outcome: Outcome
    value: str | None = None  # the answer that counts (new or earlier)
    asked: dict[str, object] | None = None  # the payload the question was sent with


def _decode(question: Question, pressed: int) -> tuple[date, str] | None:
    ordinal, index = divmod(pressed, ANSWER_FACTOR)
    if index >= len(question.answers) or not 1 <= ordinal <= date.max.toordinal():
        return None
    return date.fromordinal(ordinal), question.answers[index]


async def answer(
    services: Services,
    session: AsyncSession,
    person: Person,
    question: Question,
    pressed: int,
    *,
    from_the_question: bool,
) -> CheckInResult:
    """Record the person's answer to ``question`` (button target ``pressed``) once.

    ``from_the_question``: the press came from a message in the person's own chat that
    carries this very button (the door checks that; a forged press does not).
    """
    decoded = _decode(question, pressed)
    today = services.today()
    if decoded is None or decoded[0] > today:
        return CheckInResult(Outcome.NOT_ASKED)
    day, value = decoded
    if day < today:
        return CheckInResult(Outcome.OLD_DAY)
    earlier = await repo.check_in_of(session, person.id, day, question.kind)
    if earlier is not None:
        return CheckInResult(Outcome.ALREADY_ANSWERED, earlier.value)
    asked = await outbox_repo.by_key(session, question.key(person.id, day))
    if asked is None or not from_the_question:
        return CheckInResult(Outcome.NOT_ASKED)
    added = await repo.add_once(
        session, person_id=person.id, day=day, kind=question.kind, value=value, now=services.now()
    )
    if not added:  # a second press at the same moment: the first one counts
        raced = await repo.check_in_of(session, person.id, day, question.kind)
        return CheckInResult(Outcome.ALREADY_ANSWERED, raced.value if raced else None)
    log.info("person %s checked in (%s, %s)", person.id, question.kind.value, day.isoformat())
    if question.kind is CheckInKind.MORNING and value == RED:
        # A red morning reaches the contact person on duty, escalating like a call for help.
        await escalation.start(services, session, person, reason=escalation.RED_CHECK_IN)
    if question.kind is CheckInKind.EVENING and value == HEAVY:
        # Not an alarm: a short note to the member of staff responsible now.
        await signals.heavy_day(services, session, person)
    return CheckInResult(Outcome.RECORDED, value, dict(asked.payload))
