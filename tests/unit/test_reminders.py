"""Reminders of timed tasks: at the task's local time, repeated a few times and then left,
never in quiet hours or beyond the daily cap, missed when the bot was down too long,
and snoozed with "Later"."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.context import Services
from bot.i18n import Texts
from bot.rules.clock import MovableClock
from bot.rules.localtime import local_moment
from bot.services.day import reminders, tasks
from bot.services.day.reminders import Refused, ReminderError
from bot.services.planning import plans as planning
from storage.models import (
    OutboxMessage,
    Person,
    PlannedTask,
    PlanStatus,
    Reminder,
    ReminderKind,
    ReminderStatus,
    Role,
    TaskTemplate,
)
from storage.repos import people

TUESDAY = date(2026, 11, 24)
KIM_CHAT = 5001


async def kim_with_tasks(
    services: Services,
    *times: time | None,
    day: date = TUESDAY,
    heads_up: int | None = None,
    sent: bool = True,
    quiet: tuple[time, time] | None = None,
) -> tuple[Person, list[PlannedTask]]:
    """Kim, with one task per time on ``day``'s list (sent unless told otherwise)."""
    async with services.sessions.begin() as session:
        kim = await people.add_person(
            session, name="Kim", role=Role.COWORKER, now=services.now(), telegram_user_id=KIM_CHAT
        )
        if quiet is not None:
            kim.quiet_start, kim.quiet_end = quiet
        made = []
        for n, at in enumerate(times, start=1):
            template = TaskTemplate(
                title="Vattna blommorna" if n == 1 else f"Uppgift {n}",
                created_at=services.now(),
                heads_up_minutes=heads_up,
            )
            session.add(template)
            await session.flush()
            made.append(
                await planning.add_task(
                    services, session, coworker=kim, template=template, day=day, at=at
                )
            )
        if sent and made:
            made[0].plan.status = PlanStatus.SENT
            made[0].plan.sent_at = services.now()
    return kim, made


def at(
    clock: MovableClock, services: Services, hour: int, minute: int = 0, day: date = TUESDAY
) -> None:
    clock.set(local_moment(day, time(hour, minute), services.zone))


async def outbox(services: Services) -> list[OutboxMessage]:
    async with services.sessions() as session:
        return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def rows(services: Services) -> list[Reminder]:
    async with services.sessions() as session:
        return list(await session.scalars(select(Reminder).order_by(Reminder.id)))


def with_settings(services: Services, **changes: object) -> Services:
    settings: Settings = services.settings.model_copy(update=changes)
    return Services(settings, services.clock, services.sessions)


async def test_a_due_reminder_is_sent_once_at_the_tasks_time(
    services: Services, clock: MovableClock
) -> None:
    _, (task,) = await kim_with_tasks(services, time(10, 0))
    at(clock, services, 9, 59)
    assert await reminders.tick(services) == 0
    (due,) = await rows(services)
    assert (due.kind, due.status, due.due_at) == (
        ReminderKind.DUE,
        ReminderStatus.PENDING,
        datetime(2026, 11, 24, 9, 0, tzinfo=UTC),
    )
    at(clock, services, 10, 0)
    assert await reminders.tick(services) == 1
    assert await reminders.tick(services) == 0
    (message,) = await outbox(services)
    assert message.kind == reminders.KIND and message.chat_id == KIM_CHAT
    assert message.payload["text"] == "Nu är det dags: <b>Vattna blommorna</b>."
    assert message.payload["buttons"] == [
        [["Visa uppgiften", f"o:{task.id}"]],
        [["✅ Klar", f"d:{task.id}"], ["⏰ Senare", f"w:{task.id}"]],
    ]
    assert message.useful_until is not None
    assert message.useful_until - clock.now() <= reminders.USEFUL_FOR


async def test_repeats_are_spaced_and_then_stop(services: Services, clock: MovableClock) -> None:
    await kim_with_tasks(services, time(10, 0))
    queued = []
    for minute in (0, 14, 15, 16, 29, 30, 45, 59):
        at(clock, services, 10, minute)
        queued.append(await reminders.tick(services))
    at(clock, services, 12, 0)
    queued.append(await reminders.tick(services))
    # The first at 10:00, then reminder_repeats (2) repeats 15 minutes apart, then nothing.
    assert services.settings.reminder_repeats == 2
    assert queued == [1, 0, 1, 0, 0, 1, 0, 0, 0]
    texts = [m.payload["text"] for m in await outbox(services)]
    assert texts == [
        "Nu är det dags: <b>Vattna blommorna</b>.",
        "<b>Vattna blommorna</b> väntar fortfarande. Ta det i din egen takt.",
        "<b>Vattna blommorna</b> väntar fortfarande. Ta det i din egen takt.",
    ]
    (due,) = await rows(services)
    assert (due.status, due.repeats) == (ReminderStatus.SENT, 2)


async def test_an_answered_task_gets_no_more_reminders(
    services: Services, clock: MovableClock
) -> None:
    kim, (task,) = await kim_with_tasks(services, time(10, 0))
    at(clock, services, 10, 0)
    assert await reminders.tick(services) == 1
    async with services.sessions.begin() as session:
        await tasks.mark_done(services, session, kim, task.id)
    for minute in (15, 30, 45):
        at(clock, services, 10, minute)
        assert await reminders.tick(services) == 0
    (due,) = await rows(services)
    assert due.status is ReminderStatus.ANSWERED
    assert len(await outbox(services)) == 1


async def test_a_task_done_before_its_time_is_never_reminded(
    services: Services, clock: MovableClock
) -> None:
    kim, (task,) = await kim_with_tasks(services, time(10, 0))
    assert await reminders.tick(services) == 0
    async with services.sessions.begin() as session:
        await tasks.mark_done(services, session, kim, task.id)
    at(clock, services, 10, 0)
    assert await reminders.tick(services) == 0
    assert await outbox(services) == []
    assert [r.status for r in await rows(services)] == [ReminderStatus.ANSWERED]


async def test_untimed_tasks_and_unsent_lists_get_no_reminders(
    services: Services, clock: MovableClock
) -> None:
    await kim_with_tasks(services, None, time(10, 0), sent=False)
    at(clock, services, 10, 0)
    assert await reminders.tick(services) == 0
    assert await rows(services) == []


async def test_a_task_added_to_a_sent_list_later_gets_its_reminder(
    services: Services, clock: MovableClock
) -> None:
    kim, _ = await kim_with_tasks(services, time(9, 0))
    at(clock, services, 9, 5)
    assert await reminders.tick(services) == 1
    async with services.sessions.begin() as session:
        template = TaskTemplate(title="Sopa trappan", created_at=services.now())
        session.add(template)
        await session.flush()
        stored = await session.get(Person, kim.id)
        assert stored is not None
        await planning.add_task(
            services, session, coworker=stored, template=template, day=TUESDAY, at=time(11, 0)
        )
    at(clock, services, 11, 0)
    assert await reminders.tick(services) == 1
    assert (await outbox(services))[-1].payload["text"] == "Nu är det dags: <b>Sopa trappan</b>."


def test_quiet_hours_may_pass_midnight(services: Services) -> None:
    kim = Person(quiet_start=time(22, 0), quiet_end=time(6, 0))
    zone = services.zone
    quiet = {
        f"{h:02}:{m:02}": reminders.in_quiet_hours(
            kim, local_moment(TUESDAY, time(h, m), zone), zone
        )
        for h, m in ((21, 59), (22, 0), (23, 30), (0, 0), (5, 30), (5, 59), (6, 0), (12, 0))
    }
    assert quiet == {
        "21:59": False,
        "22:00": True,
        "23:30": True,
        "00:00": True,
        "05:30": True,
        "05:59": True,
        "06:00": False,
        "12:00": False,
    }
    lunch = Person(quiet_start=time(12, 0), quiet_end=time(13, 0))
    assert reminders.in_quiet_hours(lunch, local_moment(TUESDAY, time(12, 30), zone), zone)
    assert not reminders.in_quiet_hours(lunch, local_moment(TUESDAY, time(13, 0), zone), zone)
    none = Person(quiet_start=time(7, 0), quiet_end=time(7, 0))
    assert not reminders.in_quiet_hours(none, local_moment(TUESDAY, time(7, 0), zone), zone)


async def test_no_reminder_in_quiet_hours_over_midnight(
    services: Services, clock: MovableClock
) -> None:
    await kim_with_tasks(services, time(5, 30), time(6, 0), quiet=(time(22, 0), time(6, 0)))
    at(clock, services, 5, 30)
    assert await reminders.tick(services) == 0
    at(clock, services, 6, 0)
    assert await reminders.tick(services) == 1
    early, six = await rows(services)
    assert early.status is ReminderStatus.SKIPPED
    assert six.status is ReminderStatus.PENDING and six.repeats == 1
    (message,) = await outbox(services)
    assert message.payload["text"] == "Nu är det dags: <b>Uppgift 2</b>."


async def test_a_repeat_that_reaches_quiet_hours_is_not_sent(
    services: Services, clock: MovableClock
) -> None:
    await kim_with_tasks(services, time(19, 50))  # quiet from 20:00 by default
    at(clock, services, 19, 50)
    assert await reminders.tick(services) == 1
    at(clock, services, 20, 5)
    assert await reminders.tick(services) == 0
    (due,) = await rows(services)
    assert due.status is ReminderStatus.SKIPPED


async def test_the_daily_cap_holds_back_the_rest(services: Services, clock: MovableClock) -> None:
    capped = with_settings(services, daily_reminder_cap=2, reminder_repeats=0)
    await kim_with_tasks(capped, time(9, 0), time(10, 0), time(11, 0))
    for hour in (9, 10, 11):
        at(clock, capped, hour, 0)
        await reminders.tick(capped)
    assert [r.status for r in await rows(capped)] == [
        ReminderStatus.SENT,
        ReminderStatus.SENT,
        ReminderStatus.SKIPPED,
    ]
    assert len(await outbox(capped)) == 2


async def test_the_cap_holds_within_one_batch(services: Services, clock: MovableClock) -> None:
    capped = with_settings(services, daily_reminder_cap=2, reminder_repeats=0)
    await kim_with_tasks(capped, time(9, 0), time(9, 0), time(9, 0))
    at(clock, capped, 9, 0)
    assert await reminders.tick(capped) == 2  # three due at once: one batch
    assert sorted(r.status.value for r in await rows(capped)) == ["sent", "sent", "skipped"]
    assert [m.payload["text"] for m in await outbox(capped)] == [
        "Nu är det dags: <b>Vattna blommorna</b>.",
        "Nu är det dags: <b>Uppgift 2</b>.",
    ]


async def test_many_due_at_once_are_each_queued_once_over_several_batches(
    services: Services, clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reminders, "BATCH", 2)
    roomy = with_settings(services, daily_reminder_cap=10)  # ten reminders: none held back
    kim, _ = await kim_with_tasks(roomy, *[time(9, 0)] * 5, heads_up=15)
    at(clock, roomy, 8, 50)
    assert await reminders.create_missing(roomy) == 10  # a DUE and a HEADS_UP each
    assert await reminders.create_missing(roomy) == 0
    assert await reminders.tick(roomy) == 5  # the heads-ups
    at(clock, roomy, 9, 0)
    assert await reminders.tick(roomy) == 5  # the reminders at the task's time
    assert await reminders.tick(roomy) == 0
    sent = await outbox(roomy)
    assert len({m.idempotency_key for m in sent}) == len(sent) == 10
    reminded = sorted(m.payload["reminder_id"] for m in sent)
    assert reminded == sorted(r.id for r in await rows(roomy))
    assert {m.person_id for m in sent} == {kim.id}


async def test_a_send_queued_already_is_not_queued_or_counted_again(
    services: Services, clock: MovableClock
) -> None:
    """As after a crash between queueing and the reminder's own update (they are one
    transaction, so only a key made by hand can show it): queued once, counted once."""
    await kim_with_tasks(services, time(10, 0))
    at(clock, services, 9, 0)
    await reminders.create_missing(services)
    (due,) = await rows(services)
    key = f"reminder:{due.id}:{int(due.due_at.timestamp())}:0"
    async with services.sessions.begin() as session:
        session.add(
            OutboxMessage(
                idempotency_key=key, chat_id=KIM_CHAT, person_id=due.person_id,
                kind=reminders.KIND, payload={"text": "earlier"}, status="pending",
                attempts=0, next_attempt_at=services.now(), created_at=services.now(),
            )
        )  # fmt: skip
    at(clock, services, 10, 0)
    assert await reminders.tick(services) == 0
    (message,) = await outbox(services)
    assert message.payload == {"text": "earlier"}
    (due,) = await rows(services)
    assert due.repeats == 1 and due.last_sent_at is not None  # its next repeat still comes


async def test_the_cap_counts_the_local_day_only(services: Services, clock: MovableClock) -> None:
    capped = with_settings(services, daily_reminder_cap=1, reminder_repeats=0)
    await kim_with_tasks(capped, time(9, 0))
    at(clock, capped, 9, 0)
    assert await reminders.tick(capped) == 1
    async with capped.sessions.begin() as session:
        kim = await session.scalar(select(Person))
        assert kim is not None
        template = TaskTemplate(title="Sopa trappan", created_at=capped.now())
        session.add(template)
        await session.flush()
        wednesday = TUESDAY + timedelta(days=1)
        task = await planning.add_task(
            capped, session, coworker=kim, template=template, day=wednesday, at=time(9, 0)
        )
        task.plan.status = PlanStatus.SENT
    at(clock, capped, 9, 0, day=wednesday)
    assert await reminders.tick(capped) == 1


async def test_missed_after_the_grace_window_still_sent_within_it(
    services: Services, clock: MovableClock
) -> None:
    # The bot was down: at 10:25 the 10:00 reminder is 25 minutes late (grace: 30),
    # the 09:50 one 35 minutes late.
    assert services.settings.reminder_grace_minutes == 30
    await kim_with_tasks(services, time(9, 50), time(10, 0))
    at(clock, services, 10, 25)
    assert await reminders.tick(services) == 1
    missed, late = await rows(services)
    assert missed.status is ReminderStatus.MISSED and missed.last_sent_at is None
    assert late.status is ReminderStatus.PENDING and late.last_sent_at is not None
    # Its next repeat keeps its distance from this late send.
    assert late.due_at >= clock.now() + timedelta(minutes=14)
    (message,) = await outbox(services)
    assert message.payload["text"] == "Nu är det dags: <b>Uppgift 2</b>."


async def test_a_heads_up_comes_before_the_task(services: Services, clock: MovableClock) -> None:
    await kim_with_tasks(services, time(10, 0), heads_up=15)
    at(clock, services, 9, 44)
    assert await reminders.tick(services) == 0
    at(clock, services, 9, 45)
    assert await reminders.tick(services) == 1
    at(clock, services, 10, 0)
    assert await reminders.tick(services) == 1
    texts = [m.payload["text"] for m in await outbox(services)]
    assert texts == [
        "Om 15 minuter är det dags: <b>Vattna blommorna</b> kl 10:00.",
        "Nu är det dags: <b>Vattna blommorna</b>.",
    ]
    kinds = {r.kind: r.status for r in await rows(services)}
    assert kinds == {
        ReminderKind.HEADS_UP: ReminderStatus.SENT,
        ReminderKind.DUE: (ReminderStatus.PENDING),
    }


async def test_a_late_heads_up_says_how_long_is_left(
    services: Services, clock: MovableClock
) -> None:
    await kim_with_tasks(services, time(10, 0), time(10, 0), heads_up=15)
    at(clock, services, 9, 52)  # the list went out late: 8 minutes are left
    assert await reminders.tick(services) == 2
    texts = {m.payload["text"] for m in await outbox(services)}
    assert "Om 8 minuter är det dags: <b>Vattna blommorna</b> kl 10:00." in texts


async def test_no_heads_up_once_the_time_has_come(services: Services, clock: MovableClock) -> None:
    await kim_with_tasks(services, time(10, 0), heads_up=15)
    at(clock, services, 10, 0)
    assert await reminders.tick(services) == 1
    kinds = {r.kind: r.status for r in await rows(services)}
    assert kinds[ReminderKind.HEADS_UP] is ReminderStatus.MISSED
    (message,) = await outbox(services)
    assert message.payload["text"] == "Nu är det dags: <b>Vattna blommorna</b>."


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [(date(2026, 10, 25), 9), (date(2026, 3, 29), 8)],
    ids=["summer-time-ends", "summer-time-begins"],
)
async def test_ten_oclock_is_ten_oclock_on_a_dst_day(
    services: Services, clock: MovableClock, day: date, utc_hour: int
) -> None:
    clock.set(local_moment(day, time(6, 0), services.zone))
    await kim_with_tasks(services, time(10, 0), day=day)
    clock.set(
        datetime(day.year, day.month, day.day, utc_hour, 0, tzinfo=UTC) - timedelta(minutes=1)
    )
    assert await reminders.tick(services) == 0
    (due,) = await rows(services)
    assert due.due_at == datetime(day.year, day.month, day.day, utc_hour, 0, tzinfo=UTC)
    at(clock, services, 10, 0, day=day)
    assert clock.now().hour == utc_hour
    assert await reminders.tick(services) == 1


@pytest.mark.parametrize("why", ["inactive", "unreachable", "no telegram"])
async def test_a_person_the_bot_cannot_write_to_is_skipped(
    services: Services, clock: MovableClock, why: str
) -> None:
    kim, _ = await kim_with_tasks(services, time(10, 0))
    async with services.sessions.begin() as session:
        stored = await session.get(Person, kim.id)
        assert stored is not None
        if why == "inactive":
            stored.active = False
        elif why == "unreachable":
            stored.unreachable = True
        else:
            stored.telegram_user_id = None
    at(clock, services, 10, 0)
    assert await reminders.tick(services) == 0
    assert [r.status for r in await rows(services)] == [ReminderStatus.SKIPPED]


# --- Later and snooze -------------------------------------------------------------------


async def test_snooze_stops_the_repeats_and_reminds_again(
    services: Services, clock: MovableClock
) -> None:
    kim, (task,) = await kim_with_tasks(services, time(10, 0))
    at(clock, services, 10, 0)
    assert await reminders.tick(services) == 1
    at(clock, services, 10, 2)
    async with services.sessions.begin() as session:
        snoozed = await reminders.snooze(services, session, kim, task.id * 1000 + 15)
    assert snoozed.at is not None
    assert snoozed.at.astimezone(services.zone).strftime("%H:%M") == "10:17"
    at(clock, services, 10, 15)  # the DUE repeat would have come now
    assert await reminders.tick(services) == 0
    at(clock, services, 10, 17)
    assert await reminders.tick(services) == 1
    messages = await outbox(services)
    assert messages[-1].payload["text"] == "Nu är det dags igen: <b>Vattna blommorna</b>."
    assert messages[-1].kind == reminders.SNOOZE_KIND
    kinds = {r.kind: r.status for r in await rows(services)}
    assert kinds == {
        ReminderKind.DUE: ReminderStatus.ANSWERED,
        ReminderKind.SNOOZE: ReminderStatus.PENDING,  # its own repeats follow
    }


async def test_snoozing_again_moves_the_same_row(services: Services, clock: MovableClock) -> None:
    kim, (task,) = await kim_with_tasks(services, time(10, 0))
    at(clock, services, 10, 0)
    for minutes in (15, 60):
        async with services.sessions.begin() as session:
            await reminders.snooze(services, session, kim, task.id * 1000 + minutes)
        at(clock, services, 10, 15)
        await reminders.tick(services)
    snooze = [r for r in await rows(services) if r.kind is ReminderKind.SNOOZE]
    assert len(snooze) == 1
    assert snooze[0].status is ReminderStatus.PENDING and snooze[0].repeats == 0
    assert snooze[0].due_at == local_moment(TUESDAY, time(11, 15), services.zone)


async def test_an_asked_for_snooze_is_sent_beyond_the_cap(
    services: Services, clock: MovableClock
) -> None:
    capped = with_settings(services, daily_reminder_cap=1)
    kim, (task,) = await kim_with_tasks(capped, time(10, 0))
    at(clock, capped, 10, 0)
    assert await reminders.tick(capped) == 1
    async with capped.sessions.begin() as session:
        await reminders.snooze(capped, session, kim, task.id * 1000 + 30)
    at(clock, capped, 10, 30)
    assert await reminders.tick(capped) == 1
    at(clock, capped, 10, 45)  # its repeat is not asked for: the cap holds it back
    assert await reminders.tick(capped) == 0


async def test_a_snooze_into_quiet_hours_means_no_more_today(
    services: Services, clock: MovableClock
) -> None:
    kim, (task,) = await kim_with_tasks(services, time(19, 30))
    at(clock, services, 19, 30)
    assert await reminders.tick(services) == 1
    at(clock, services, 19, 50)
    async with services.sessions.begin() as session:
        snoozed = await reminders.snooze(services, session, kim, task.id * 1000 + 15)
    assert snoozed.at is None
    assert [r.status for r in await rows(services)] == [ReminderStatus.ANSWERED]


async def test_snooze_refuses_what_is_not_the_persons_to_put_off(
    services: Services, clock: MovableClock
) -> None:
    kim, (task, done) = await kim_with_tasks(services, time(10, 0), time(11, 0))
    async with services.sessions.begin() as session:
        eve = await people.add_person(
            session, name="Eve", role=Role.COWORKER, now=services.now(), telegram_user_id=6666
        )
        await tasks.mark_done(services, session, kim, done.id)
    cases = [
        (eve, task.id * 1000 + 15, Refused.NOT_YOURS),
        (kim, 999_999 * 1000 + 15, Refused.NOT_YOURS),
        (kim, done.id * 1000 + 15, Refused.ANSWERED),
        (kim, task.id * 1000 + 20, Refused.UNKNOWN),
    ]
    for person, target, refused in cases:
        with pytest.raises(ReminderError) as caught:
            async with services.sessions.begin() as session:
                await reminders.snooze(services, session, person, target)
        assert caught.value.refused is refused
    clock.set(clock.now() + timedelta(days=1))
    with pytest.raises(ReminderError) as caught:
        async with services.sessions.begin() as session:
            await reminders.task_to_put_off(services, session, kim, task.id)
    assert caught.value.refused is Refused.OTHER_DAY
    assert await rows(services) == []


def test_every_refusal_has_words_in_both_languages() -> None:
    for language in ("sv", "en"):
        t = Texts(language)
        for refused in Refused:
            key = f"reminder.refused.{refused.value}"
            assert t(key) != key
