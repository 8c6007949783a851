"""The morning check-in follows the morning list; each answer is recorded once, and only
for today's question that was sent to the person pressing."""

from __future__ import annotations

from datetime import date, time, timedelta

from bot.context import Services
from bot.i18n import Texts
from bot.rules.clock import MovableClock
from bot.rules.localtime import local_moment
from bot.services.day import checkins, morning
from bot.services.day.checkins import EVENING, MORNING, Outcome
from bot.views.checkins import answer_target, evening_answered, morning_answered, morning_question
from storage.models import Person, PlanStatus
from tests.unit.coworker_days import OPEN, check_ins, coworker, outbox, plan

TUESDAY = date(2026, 11, 24)
GREEN, AMBER, RED = 0, 1, 2


async def morning_sent(services: Services, clock: MovableClock) -> Person:
    """Kim's list and check-in queued at 08:00 on Tuesday."""
    kim = await coworker(services)
    await plan(services, kim, TUESDAY, [("Vattna blommorna", OPEN)], status=PlanStatus.DRAFT)
    clock.set(local_moment(TUESDAY, time(8, 0, 5), services.zone))
    assert await morning.enqueue_due_lists(services) == 1
    return kim


async def press(
    services: Services,
    kim: Person,
    pressed: int,
    question: checkins.Question = MORNING,
    *,
    from_the_question: bool = True,
) -> checkins.CheckInResult:
    async with services.sessions.begin() as session:
        return await checkins.answer(
            services, session, kim, question, pressed, from_the_question=from_the_question
        )


async def test_the_check_in_is_queued_right_after_the_list_once(
    services: Services, clock: MovableClock
) -> None:
    kim = await morning_sent(services, clock)
    assert await morning.enqueue_due_lists(services) == 0
    rows = await outbox(services)
    assert [(row.idempotency_key, row.kind) for row in rows] == [
        (f"morning:{kim.id}:2026-11-24", "morning_list"),
        (f"checkin:{kim.id}:2026-11-24", "checkin"),
    ]
    question = rows[1].payload
    assert question["text"] == "Hur mår du idag?"
    ordinal = TUESDAY.toordinal()
    assert question["buttons"] == [
        [
            ["🟢 Bra", f"f:{ordinal}0"],
            ["🟡 Sådär", f"f:{ordinal}1"],
            ["🔴 Inte bra", f"f:{ordinal}2"],
        ]
    ]
    assert rows[1].useful_until == local_moment(TUESDAY + timedelta(days=1), time(0), services.zone)


async def test_the_first_answer_counts(services: Services, clock: MovableClock) -> None:
    kim = await morning_sent(services, clock)
    first = await press(services, kim, answer_target(TUESDAY, AMBER))
    assert (first.outcome, first.value) == (Outcome.RECORDED, "amber")
    second = await press(services, kim, answer_target(TUESDAY, GREEN))
    assert (second.outcome, second.value) == (Outcome.ALREADY_ANSWERED, "amber")
    assert await check_ins(services) == [(kim.id, TUESDAY, "morning", "amber")]


async def test_old_forged_and_unasked_presses_record_nothing(
    services: Services, clock: MovableClock
) -> None:
    kim = await morning_sent(services, clock)
    yesterday = TUESDAY - timedelta(days=1)
    assert (await press(services, kim, answer_target(yesterday, RED))).outcome is Outcome.OLD_DAY
    tomorrow = TUESDAY + timedelta(days=1)
    assert (await press(services, kim, answer_target(tomorrow, RED))).outcome is Outcome.NOT_ASKED
    assert (await press(services, kim, answer_target(TUESDAY, 7))).outcome is Outcome.NOT_ASKED
    assert (await press(services, kim, 3)).outcome is Outcome.NOT_ASKED
    assert (await press(services, kim, 10**17)).outcome is Outcome.NOT_ASKED
    # The right data, but not pressed on the question (a forged press on another message).
    forged = await press(services, kim, answer_target(TUESDAY, RED), from_the_question=False)
    assert forged.outcome is Outcome.NOT_ASKED
    # Sara was never asked: her own press with today's data is not taken.
    sara = await coworker(services, "Sara", 5002)
    assert (await press(services, sara, answer_target(TUESDAY, RED))).outcome is Outcome.NOT_ASKED
    # The evening question has not been asked yet either.
    evening = await press(services, kim, answer_target(TUESDAY, GREEN), EVENING)
    assert evening.outcome is Outcome.NOT_ASKED
    assert await check_ins(services) == []


async def test_a_red_answer_is_recorded(services: Services, clock: MovableClock) -> None:
    kim = await morning_sent(services, clock)
    result = await press(services, kim, answer_target(TUESDAY, RED))
    assert (result.outcome, result.value) == (Outcome.RECORDED, "red")
    assert await check_ins(services) == [(kim.id, TUESDAY, "morning", "red")]


async def test_a_question_answered_after_midnight_is_an_old_day(
    services: Services, clock: MovableClock
) -> None:
    kim = await morning_sent(services, clock)
    clock.set(local_moment(TUESDAY + timedelta(days=1), time(0, 0, 5), services.zone))
    result = await press(services, kim, answer_target(TUESDAY, GREEN))
    assert result.outcome is Outcome.OLD_DAY
    assert await check_ins(services) == []


def test_every_answer_has_words_and_a_kind_reply_in_both_languages() -> None:
    for language in ("sv", "en"):
        t = Texts(language)
        for value in checkins.MORNING_ANSWERS:
            text = morning_answered(t, value).text
            assert "checkin." not in text, (language, value)
        for value in checkins.EVENING_ANSWERS:
            text = evening_answered(t, "Sammanfattning", value).text
            assert "checkin." not in text, (language, value)
        labels = [b.label for b in morning_question(t, TUESDAY).rows[0]]
        assert all(any(c.isalpha() for c in label) for label in labels)  # words, not colour alone
