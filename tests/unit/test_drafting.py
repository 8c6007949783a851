"""Drafting a co-worker's days: recurring, carried-over and added tasks, within their stamina."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time, timedelta
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import select

from bot.context import Services
from bot.i18n import Texts
from bot.rules.clock import MovableClock
from bot.rules.localtime import local_moment
from bot.rules.placement import DeferReason
from bot.rules.recurrence import Preset, build_rule
from bot.rules.waiting import days_waited
from bot.rules.working_days import is_day_off
from bot.services.planning import drafting, drafting_everyone
from bot.services.planning import plans as planning
from bot.services.planning.drafting import Outcome
from bot.views import planning as planning_lines
from jobs.drafting import draft_today, draft_tomorrow
from storage.models import (
    DayPlan,
    Person,
    PlannedTask,
    PlanStatus,
    Recurrence,
    Role,
    TaskStatus,
    TaskTemplate,
)
from storage.repos import people

MONDAY = date(2026, 12, 21)  # the week of Christmas: Friday the 25th is juldagen


class World:
    """Kim (a co-worker), Anna (her support person) and a small catalogue."""

    def __init__(self, services: Services, clock: MovableClock) -> None:
        self.services = services
        self.clock = clock
        self.kim_id = 0
        self.anna_id = 0
        self.templates: dict[str, int] = {}

    async def setup(self, capacity: int = 6) -> World:
        async with self.services.sessions.begin() as session:
            kim = await people.add_person(
                session, name="Kim", role=Role.COWORKER, now=self.services.now()
            )
            kim.capacity = capacity
            anna = await people.add_person(
                session, name="Anna", role=Role.SUPPORT, now=self.services.now()
            )
            self.kim_id, self.anna_id = kim.id, anna.id
        return self

    async def template(self, title: str, strain: int = 1) -> int:
        async with self.services.sessions.begin() as session:
            template = TaskTemplate(title=title, strain=strain, created_at=self.services.now())
            session.add(template)
            await session.flush()
            self.templates[title] = template.id
        return self.templates[title]

    async def recur(
        self, title: str, rule: str, starts_on: date = MONDAY, at: time | None = None
    ) -> int:
        async with self.services.sessions.begin() as session:
            recurrence = Recurrence(
                template_id=self.templates[title],
                coworker_id=self.kim_id,
                rrule=rule,
                starts_on=starts_on,
                time_of_day=at,
                active=True,
            )
            session.add(recurrence)
            await session.flush()
            return recurrence.id

    async def add(self, title: str, day: date, at: time | None = None) -> None:
        """Anna puts a task on Kim's plan for ``day``."""
        async with self.services.sessions.begin() as session:
            kim, anna = await self._people(session)
            template = await session.get(TaskTemplate, self.templates[title])
            assert template is not None
            await planning.add_task(
                self.services,
                session,
                coworker=kim,
                template=template,
                day=day,
                at=at,
                added_by=anna,
            )

    async def _people(self, session: Any) -> tuple[Person, Person]:
        kim = await session.get(Person, self.kim_id)
        anna = await session.get(Person, self.anna_id)
        assert kim is not None and anna is not None
        return kim, anna

    async def draft(self, day: date) -> drafting.DraftResult:
        """The evening before ``day``, at 18:00, draft it."""
        self.clock.set(local_moment(day - timedelta(days=1), time(18, 0), self.services.zone))
        async with self.services.sessions.begin() as session:
            kim, _ = await self._people(session)
            return await drafting.draft_day(self.services, session, kim, day)

    async def live(
        self, day: date, leave: Sequence[str] = (), status: TaskStatus = TaskStatus.OPEN
    ):
        """``day`` happens: the list is sent, every task is done except ``leave``."""
        async with self.services.sessions.begin() as session:
            plan = await session.scalar(
                select(DayPlan).where(DayPlan.coworker_id == self.kim_id, DayPlan.day == day)
            )
            if plan is None:
                return
            plan.status = PlanStatus.SENT
            for task in plan.tasks:
                if task.template.title in leave:
                    task.status = status
                else:
                    task.status = TaskStatus.DONE

    async def plan(self, day: date) -> list[tuple[str, PlannedTask]]:
        async with self.services.sessions() as session:
            plan = await session.scalar(
                select(DayPlan).where(DayPlan.coworker_id == self.kim_id, DayPlan.day == day)
            )
            if plan is None:
                return []
            return [(task.template.title, task) for task in plan.tasks]

    async def titles(self, day: date) -> list[str]:
        return [title for title, _ in await self.plan(day)]


async def snapshot(services: Services) -> list[tuple[object, ...]]:
    async with services.sessions() as session:
        plans = [
            (p.id, p.coworker_id, p.day, p.status, p.deliver_at)
            for p in await session.scalars(select(DayPlan).order_by(DayPlan.id))
        ]
        tasks = [
            (
                t.id,
                t.day_plan_id,
                t.template_id,
                t.position,
                t.time_of_day,
                t.status,
                t.first_time,
                t.with_support,
                t.carried_from,
                t.recurrence_id,
                t.deferred_from,
                t.deferred_reason,
                t.added_by_id,
            )
            for t in await session.scalars(select(PlannedTask).order_by(PlannedTask.id))
        ]
    return [*plans, *tasks]


async def test_a_week_of_recurring_tasks_around_christmas(
    services: Services, clock: MovableClock
) -> None:
    world = await World(services, clock).setup()
    for title, strain in [("Vattna blommorna", 1), ("Städa köket", 2), ("Veckostäd", 2)]:
        await world.template(title, strain)
    await world.recur("Vattna blommorna", build_rule(Preset.WEEKDAYS))
    await world.recur("Städa köket", build_rule(Preset.WEEKLY, [0, 3]), at=time(10, 0))
    await world.recur("Veckostäd", build_rule(Preset.WEEKLY, [4]))

    week: dict[date, list[str]] = {}
    for n in range(8):
        day = MONDAY + timedelta(days=n)
        result = await world.draft(day)
        week[day] = await world.titles(day)
        assert result.outcome is (Outcome.CREATED if week[day] else Outcome.NOTHING)
        await world.live(day)

    assert week == {
        MONDAY: ["Städa köket", "Vattna blommorna"],  # the timed task first
        date(2026, 12, 22): ["Vattna blommorna"],
        date(2026, 12, 23): ["Vattna blommorna"],
        date(2026, 12, 24): ["Städa köket", "Vattna blommorna"],
        date(2026, 12, 25): [],  # juldagen: a day off
        date(2026, 12, 26): [],
        date(2026, 12, 27): [],
        date(2026, 12, 28): ["Städa köket", "Vattna blommorna"],
    }
    monday = dict(await world.plan(MONDAY))
    assert monday["Vattna blommorna"].first_time and monday["Städa köket"].first_time
    assert monday["Städa köket"].time_of_day == time(10, 0)
    thursday = dict(await world.plan(date(2026, 12, 24)))
    assert not thursday["Vattna blommorna"].first_time
    assert not thursday["Städa köket"].first_time


async def test_unfinished_tasks_carry_over_and_show_how_long_they_waited(
    services: Services, clock: MovableClock
) -> None:
    world = await World(services, clock).setup()
    await world.template("Ringa leverantören", 2)
    await world.template("Packa lådor", 1)
    await world.template("Sortera post", 1)
    await world.add("Ringa leverantören", MONDAY)
    await world.add("Packa lådor", MONDAY)
    await world.add("Sortera post", MONDAY)
    await world.draft(MONDAY)
    await world.live(MONDAY, leave=["Ringa leverantören", "Packa lådor"], status=TaskStatus.HELP)

    tuesday = MONDAY + timedelta(days=1)
    result = await world.draft(tuesday)
    assert result.outcome is Outcome.CREATED
    assert await world.titles(tuesday) == ["Ringa leverantören", "Packa lådor"]
    old = dict(await world.plan(MONDAY))
    assert old["Ringa leverantören"].status is TaskStatus.CARRIED_OVER
    assert old["Sortera post"].status is TaskStatus.DONE
    await world.live(tuesday, leave=["Ringa leverantören"], status=TaskStatus.NOT_TODAY)

    wednesday = tuesday + timedelta(days=1)
    await world.draft(wednesday)
    (title, task), *rest = await world.plan(wednesday)
    assert (title, rest) == ("Ringa leverantören", [])
    assert task.carried_from == MONDAY  # the original day, not Tuesday
    assert task.first_time  # never done yet
    assert days_waited(task, wednesday) == 2
    assert planning_lines.waited_line(Texts("sv"), task, wednesday) == "Har väntat 2 dagar."
    assert planning_lines.waited_line(Texts("en"), task, tuesday) == "Has waited 1 day."
    tuesdays = dict(await world.plan(tuesday))
    assert tuesdays["Ringa leverantören"].status is TaskStatus.CARRIED_OVER
    assert tuesdays["Packa lådor"].status is TaskStatus.DONE


async def test_what_does_not_fit_moves_to_the_next_working_day_with_a_reason(
    services: Services, clock: MovableClock
) -> None:
    world = await World(services, clock).setup(capacity=4)
    await world.template("Inventering", 2)
    await world.template("Kundsamtal", 2)
    await world.template("Vattna blommorna", 1)
    await world.recur("Vattna blommorna", build_rule(Preset.WEEKDAYS))
    thursday = date(2026, 12, 24)
    await world.add("Inventering", thursday)
    await world.add("Kundsamtal", thursday)

    result = await world.draft(thursday)
    assert await world.titles(thursday) == ["Inventering", "Kundsamtal"]  # added ones first
    assert result.strain == 4 and result.capacity == 4
    [deferral] = result.deferred
    monday = date(2026, 12, 28)  # past juldagen, annandag jul and the weekend
    assert (deferral.reason, deferral.from_day, deferral.to_day) == (
        DeferReason.CAPACITY,
        thursday,
        monday,
    )
    assert deferral.task.deferred_reason == "capacity"
    assert deferral.task.carried_from == thursday
    line = planning_lines.deferral_line(
        Texts("sv"), "Vattna blommorna", deferral.task.deferred_reason, deferral.to_day
    )
    assert line == (
        "Vattna blommorna är flyttad till måndag 28 december: "
        "dagen var redan full (orken räckte inte till fler uppgifter)."
    )
    async with services.sessions() as session:
        kim = await session.get(Person, world.kim_id)
        assert kim is not None
        [(moved, on_day)] = await drafting.deferred_from(session, kim, thursday)
    assert (moved.id, on_day) == (deferral.task.id, monday)

    # Drafting Thursday again changes nothing and does not defer a second time.
    before = await snapshot(services)
    again = await world.draft(thursday)
    assert again.outcome is Outcome.UNCHANGED and again.deferred == ()
    assert await snapshot(services) == before

    # Monday: the deferred task and Monday's own watering are one task, not two.
    await world.live(thursday)
    await world.draft(monday)
    [(title, task)] = await world.plan(monday)
    assert title == "Vattna blommorna" and task.carried_from == thursday
    assert task.first_time


async def test_a_task_heavier_than_the_day_stands_alone_and_is_flagged(
    services: Services, clock: MovableClock
) -> None:
    world = await World(services, clock).setup(capacity=2)
    await world.template("Flytta arkivet", 3)
    await world.template("Bära kartonger", 3)
    tuesday = MONDAY + timedelta(days=1)
    await world.add("Flytta arkivet", tuesday)
    await world.add("Bära kartonger", tuesday)
    result = await world.draft(tuesday)
    assert await world.titles(tuesday) == ["Flytta arkivet"]
    assert result.over_capacity is not None
    assert result.over_capacity.template_id == world.templates["Flytta arkivet"]
    assert [(d.reason, d.to_day) for d in result.deferred] == [
        (DeferReason.TOO_HEAVY, tuesday + timedelta(days=1))
    ]
    alone = planning_lines.over_capacity_line(Texts("sv"), "Flytta arkivet", 3, 2)
    assert "Den står ensam" in alone


async def test_two_heavy_tasks_are_not_back_to_back(
    services: Services, clock: MovableClock
) -> None:
    world = await World(services, clock).setup(capacity=10)
    for title, strain in [("Tung A", 3), ("Tung B", 3), ("Lätt C", 1), ("Lätt D", 1)]:
        await world.template(title, strain)
    tuesday = MONDAY + timedelta(days=1)
    for title in ("Tung A", "Tung B", "Lätt C", "Lätt D"):
        await world.add(title, tuesday)
    await world.draft(tuesday)
    assert await world.titles(tuesday) == ["Tung A", "Lätt C", "Tung B", "Lätt D"]
    assert [task.position for _, task in await world.plan(tuesday)] == [1, 2, 3, 4]


async def test_approved_and_sent_plans_are_never_redrafted(
    services: Services, clock: MovableClock
) -> None:
    world = await World(services, clock).setup()
    await world.template("Vattna blommorna", 1)
    await world.template("Packa lådor", 1)
    await world.add("Packa lådor", MONDAY)
    await world.draft(MONDAY)
    await world.live(MONDAY, leave=["Packa lådor"])
    tuesday = MONDAY + timedelta(days=1)
    await world.add("Vattna blommorna", tuesday)
    async with services.sessions.begin() as session:
        plan = await session.scalar(select(DayPlan).where(DayPlan.day == tuesday))
        assert plan is not None
        plan.status = PlanStatus.APPROVED
    await world.recur("Vattna blommorna", build_rule(Preset.WEEKDAYS))

    before = await snapshot(services)
    assert (await world.draft(tuesday)).outcome is Outcome.LOCKED
    assert (await world.draft(MONDAY)).outcome is Outcome.LOCKED  # sent
    assert await snapshot(services) == before  # Monday's leftover was not carried either


async def test_a_redraft_keeps_added_tasks_and_follows_changed_recurrences(
    services: Services, clock: MovableClock
) -> None:
    world = await World(services, clock).setup()
    await world.template("Vattna blommorna", 1)
    await world.template("Sortera post", 1)
    recurrence = await world.recur("Vattna blommorna", build_rule(Preset.WEEKDAYS))
    tuesday = MONDAY + timedelta(days=1)
    assert (await world.draft(tuesday)).outcome is Outcome.CREATED
    await world.add("Sortera post", tuesday)
    async with services.sessions.begin() as session:
        row = await session.get(Recurrence, recurrence)
        assert row is not None
        row.active = False
    result = await world.draft(tuesday)
    assert result.outcome is Outcome.UPDATED
    [(title, task)] = await world.plan(tuesday)
    assert (title, task.added_by_id, task.position) == ("Sortera post", world.anna_id, 1)
    assert (await world.draft(tuesday)).outcome is Outcome.UNCHANGED


async def test_draft_all_drafts_active_coworkers_once(
    services: Services, clock: MovableClock
) -> None:
    world = await World(services, clock).setup()
    await world.template("Vattna blommorna", 1)
    await world.recur("Vattna blommorna", build_rule(Preset.WEEKDAYS))
    async with services.sessions.begin() as session:
        for name, active in [("Robin", True), ("Alex", False)]:
            other = await people.add_person(
                session, name=name, role=Role.COWORKER, now=services.now()
            )
            other.active = active
            session.add(
                Recurrence(
                    template_id=world.templates["Vattna blommorna"],
                    coworker_id=other.id,
                    rrule=build_rule(Preset.WEEKDAYS),
                    starts_on=MONDAY,
                    active=True,
                )
            )
    clock.set(local_moment(MONDAY, time(18, 0), services.zone))
    tuesday = MONDAY + timedelta(days=1)
    assert await drafting_everyone.draft_all(services, tuesday) == 2
    assert await drafting_everyone.draft_all(services, tuesday) == 0
    async with services.sessions() as session:
        plans = list(await session.scalars(select(DayPlan)))
    assert len(plans) == 2


async def test_the_jobs_draft_the_coming_days_and_today(
    services: Services, clock: MovableClock
) -> None:
    world = await World(services, clock).setup()
    await world.template("Helgjour", 1)
    await world.template("Vattna blommorna", 1)
    start = date(2026, 11, 30)
    await world.recur("Helgjour", build_rule(Preset.WEEKLY, [5]), starts_on=start)
    await world.recur("Vattna blommorna", build_rule(Preset.WEEKDAYS), starts_on=start)
    context = cast(
        Any, SimpleNamespace(application=SimpleNamespace(bot_data={"services": services}))
    )

    friday = date(2026, 12, 4)
    assert drafting.days_ahead(friday) == [friday + timedelta(days=n) for n in (1, 2, 3)]
    clock.set(local_moment(friday, time(18, 0), services.zone))
    await draft_tomorrow(context)
    assert await world.titles(date(2026, 12, 5)) == ["Helgjour"]
    assert await world.titles(date(2026, 12, 6)) == []
    assert await world.titles(date(2026, 12, 7)) == ["Vattna blommorna"]

    clock.set(local_moment(date(2026, 12, 8), time(4, 0), services.zone))
    await draft_today(context)
    # Nothing was sent or done in between: the weekend task and Monday's watering wait
    # on Tuesday, oldest first, and Tuesday's own watering is the same task.
    tuesday = await world.plan(date(2026, 12, 8))
    assert [(title, task.carried_from) for title, task in tuesday] == [
        ("Helgjour", date(2026, 12, 5)),
        ("Vattna blommorna", date(2026, 12, 7)),
    ]


async def test_a_draft_carried_on_by_the_next_day_is_left_as_it_is(
    services: Services, clock: MovableClock
) -> None:
    world = await World(services, clock).setup()
    await world.template("Vattna blommorna", 1)
    await world.recur("Vattna blommorna", build_rule(Preset.WEEKDAYS))
    tuesday, wednesday = MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)
    await world.draft(tuesday)  # never sent (Kim has no Telegram yet)
    clock.set(local_moment(tuesday, time(18, 0), services.zone))
    async with services.sessions.begin() as session:
        kim = await session.get(Person, world.kim_id)
        assert kim is not None
        await drafting.draft_day(services, session, kim, wednesday)
    [(_, old)] = await world.plan(tuesday)
    assert old.status is TaskStatus.CARRIED_OVER
    before = await snapshot(services)
    async with services.sessions.begin() as session:  # a restart's safety net, same evening
        kim = await session.get(Person, world.kim_id)
        assert kim is not None
        result = await drafting.draft_day(services, session, kim, tuesday)
    assert result.outcome is Outcome.UNCHANGED
    assert await snapshot(services) == before


async def test_a_fixed_time_task_is_on_every_list_it_is_due_on_for_four_weeks(
    services: Services, clock: MovableClock
) -> None:
    """More work than stamina every day (and some left undone): the 09:00 task is still
    on every working day's list, at 09:00, and the rest is kept apart for balance."""
    world = await World(services, clock).setup(capacity=4)
    for title, strain in [("Bära kartonger", 3), ("Torka borden", 2), ("Vattna", 1)]:
        await world.template(title, strain)
    await world.template("Morgonmöte", 2)  # last in the catalogue: order does not matter
    await world.recur("Bära kartonger", build_rule(Preset.WEEKDAYS))
    await world.recur("Torka borden", build_rule(Preset.WEEKDAYS))
    await world.recur("Vattna", build_rule(Preset.WEEKDAYS))
    await world.recur("Morgonmöte", build_rule(Preset.WEEKDAYS), at=time(9, 0))

    working_days = 0
    for n in range(28):
        day = MONDAY + timedelta(days=n)
        if n % 3 == 0:
            await world.add("Bära kartonger", day)
        await world.draft(day)
        plan = dict(await world.plan(day))
        if not is_day_off(day):
            working_days += 1
            assert plan["Morgonmöte"].time_of_day == time(9, 0), day
            assert plan["Morgonmöte"].deferred_from is None, day
        await world.live(day, leave=["Torka borden"] if n % 2 else [])
    assert working_days == 17
