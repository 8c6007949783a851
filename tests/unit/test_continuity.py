"""The continuity figure on a known history: different staff who answered, planned for
or helped each co-worker in the last 14 days, each counted on the day they did it
(the definition: docs/messages.md, "Continuity")."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import JSON, Boolean, Date, Integer, String, Time, insert, select
from sqlalchemy import column as sa_column
from sqlalchemy import table as sa_table
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.expression import TableClause
from sqlalchemy.types import TypeEngine

from bot.context import Services
from bot.i18n import LANGUAGES, Texts
from bot.rules.clock import MovableClock
from bot.rules.continuity import Figure, GroupFigures
from bot.services.day import escalation
from bot.services.messages import staff_messages
from bot.services.messages.staff_messages import Source
from bot.services.people import continuity
from bot.services.planning import add_task, review
from bot.services.planning import plans as planning
from bot.views.continuity_chart import chart_caption, continuity_chart
from storage.base import UTCDateTime
from storage.migrate import alembic_config, upgrade
from storage.models import (
    DayPlan,
    Direction,
    Group,
    HelpRequest,
    Message,
    Person,
    PlannedTask,
    PlanStatus,
    Role,
    TaskTemplate,
)
from storage.repos import continuity as continuity_repo
from storage.repos import people
from tests.conftest import Database
from tests.unit.test_cli_org import TUESDAY_9, Vardag


@pytest.fixture
def vardag(database: Database, monkeypatch: pytest.MonkeyPatch) -> Vardag:
    return Vardag(database, monkeypatch)


def answer(coworker: Person, staff: Person, at: datetime) -> Message:
    return Message(
        coworker_id=coworker.id,
        staff_id=staff.id,
        direction=Direction.TO_COWORKER,
        kind="text",
        body="Hej",
        source_chat_id=1,
        source_message_id=1,
        created_at=at,
    )


async def a_history(services: Services) -> None:
    """Kim met Anna (answers, a task added) and Bo (approved a list): 2. Sara met Anna,
    Bo and Cia: 3; Dan answered her 20 days ago, which no longer counts. Lo: nobody."""
    now = TUESDAY_9
    async with services.sessions.begin() as session:
        group = Group(name="Rutt 1", created_at=now)
        session.add(group)
        await session.flush()
        made = {
            name: await people.add_person(session, name=name, role=role, now=now, group=group)
            for name, role in [
                ("Anna", Role.SUPPORT),
                ("Bo", Role.SUPPORT),
                ("Cia", Role.SUPPORT),
                ("Dan", Role.SUPPORT),
                ("Kim", Role.COWORKER),
                ("Sara", Role.COWORKER),
                ("Lo", Role.COWORKER),
            ]
        }
        kim, sara = made["Kim"], made["Sara"]
        session.add_all(
            [
                answer(kim, made["Anna"], now - timedelta(days=1)),
                answer(kim, made["Anna"], now - timedelta(days=3)),
                answer(sara, made["Anna"], now - timedelta(days=2)),
                answer(sara, made["Bo"], now - timedelta(days=5)),
                answer(sara, made["Cia"], now - timedelta(days=13)),
                answer(sara, made["Dan"], now - timedelta(days=20)),
                DayPlan(
                    coworker_id=kim.id,
                    day=date(2026, 11, 20),
                    status=PlanStatus.SENT,
                    deliver_at=now - timedelta(days=4),
                    approved_by_id=made["Bo"].id,
                    approved_at=now - timedelta(days=5),
                    created_at=now - timedelta(days=5),
                ),
            ]
        )


async def test_continuity_on_a_known_history(vardag: Vardag, services: Services) -> None:
    await a_history(services)
    assert (await vardag("report", "continuity")).splitlines() == [
        "Continuity: different staff each co-worker met in the last 14 days (goal: at most 2).",
        "",
        "Rutt 1: average 1.7, at most 3",
        "⚠️ Sara: 3",
        "✅ Kim: 2",
        "✅ Lo: 0",
    ]


# --- the chart ----------------------------------------------------------------------

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk, which comes first."""
    assert data.startswith(PNG_SIGNATURE)
    assert data[12:16] == b"IHDR"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def a_group(*figures: tuple[str, int], name: str = "Rutt 1") -> GroupFigures:
    return GroupFigures(
        Group(name=name), [Figure(Person(display_name=who), staff) for who, staff in figures]
    )


@pytest.mark.parametrize(
    "group",
    [
        a_group(("Kim", 2), ("Sara", 3), ("Lo", 0)),
        a_group(("Kim", 0)),  # one co-worker, a figure of 0: average 0
        a_group(("Kim", 9)),  # one co-worker far over the goal
        a_group(*((f"Medarbetare {n}", n % 7) for n in range(40))),  # many
        a_group(("Maximiliana Andersson-Lindqvist af Ekeblad", 1), ("$x^2$ \\frac{", 4)),
    ],
    ids=["three", "one-zero", "one-over", "many", "odd-names"],
)
def test_the_chart_is_an_800_pixel_png(group: GroupFigures) -> None:
    for language in LANGUAGES:
        width, height = png_size(continuity_chart(Texts(language), group))
        assert width == 800
        assert 200 <= height <= 2000


def test_the_chart_grows_with_the_group_up_to_a_limit() -> None:
    heights = [
        png_size(continuity_chart(Texts("sv"), a_group(*((f"P{n}", 1) for n in range(count)))))[1]
        for count in (1, 3, 10, 70)
    ]
    assert heights == sorted(heights) and heights[-1] == 2000


def test_a_group_without_co_workers_has_no_chart() -> None:
    with pytest.raises(ValueError):
        continuity_chart(Texts("sv"), a_group())


def test_the_caption_names_the_group_and_the_fourteen_days() -> None:
    group = a_group(("Kim", 1))
    assert chart_caption(Texts("sv"), group, date(2026, 11, 24)) == (
        "Kontinuitet i Rutt 1, 11–24 nov. 2026"
    )
    assert chart_caption(Texts("en"), group, date(2026, 1, 5)) == (
        "Continuity in Rutt 1, Dec 23, 2025\u2009–\u2009Jan 5, 2026"  # thin spaces, as CLDR has it
    )


async def test_the_report_writes_the_chart(
    vardag: Vardag, services: Services, tmp_path: Path
) -> None:
    out = tmp_path / "kontinuitet.png"
    assert (await vardag("report", "continuity", "--png", str(out))).splitlines()[-1] == (
        "No chart: no group has co-workers yet."
    )
    assert not out.exists()

    await a_history(services)
    lines = (await vardag("report", "continuity", "--png", str(out))).splitlines()
    assert lines[-2:] == ["", f"The chart for Rutt 1 is in {out}."]
    assert png_size(out.read_bytes())[0] == 800
    assert out.stat().st_mode & 0o777 == 0o600  # it names co-workers
    out.write_bytes(b"old")
    await vardag("report", "continuity", "--png", str(out))  # a new report replaces it
    assert out.read_bytes().startswith(PNG_SIGNATURE)

    async with services.sessions.begin() as session:
        group = Group(name="Rutt 2", created_at=TUESDAY_9)
        session.add(group)
        await session.flush()
        await people.add_person(session, name="Ali", role=Role.COWORKER, now=TUESDAY_9, group=group)
        ids = {g.name: g.id for g in await session.scalars(select(Group))}
    lines = (await vardag("report", "continuity", "--png", str(out))).splitlines()
    each = [
        tmp_path / f"kontinuitet-{ids['Rutt 1']}.png",
        tmp_path / f"kontinuitet-{ids['Rutt 2']}.png",
    ]
    assert lines[-2:] == [
        f"The chart for Rutt 1 is in {each[0]}.",
        f"The chart for Rutt 2 is in {each[1]}.",
    ]
    assert all(png_size(path.read_bytes())[0] == 800 for path in each)

    missing = tmp_path / "no-such-folder" / "k.png"
    refused = await vardag.refused("report", "continuity", "--png", str(missing))
    assert refused == f"Could not write {missing.with_stem('k-' + str(ids['Rutt 1']))}: " + (
        "No such file or directory"
    )


# --- what counts, and on which day ---------------------------------------------------
# Each rule through the real services (a call taken, a broadcast, a task added, a list
# approved), then the figure as the services compute it.

NOW = datetime(2026, 11, 24, 5, 0, tzinfo=UTC)  # the clock fixture's Tuesday, 06:00 local
# (the fixture's clock runs on from there, so moments are compared to within an hour)
WINDOW_START = datetime(2026, 11, 10, 23, 0, tzinfo=UTC)  # 11 Nov 00:00 in Stockholm


async def a_group_of_two(services: Services) -> dict[str, Person]:
    """Anna and Bo support Kim and Sara in Rutt 1; a catalogue task to add."""
    async with services.sessions.begin() as session:
        group = Group(name="Rutt 1", created_at=NOW)
        session.add(group)
        await session.flush()
        made = {
            name: await people.add_person(session, name=name, role=role, now=NOW, group=group)
            for name, role in [
                ("Anna", Role.SUPPORT),
                ("Bo", Role.SUPPORT),
                ("Kim", Role.COWORKER),
                ("Sara", Role.COWORKER),
            ]
        }
        session.add(TaskTemplate(title="Vattna blommorna", created_at=NOW))
    return made


async def figures(services: Services) -> dict[str, int]:
    async with services.sessions.begin() as session:
        groups = list(await session.scalars(select(Group)))
        found = await continuity.for_groups(services, session, groups, actor=None)
    return {f.coworker.display_name: f.staff for g in found for f in g.figures}


async def person(session: AsyncSession, made: dict[str, Person], name: str) -> Person:
    return await session.get_one(Person, made[name].id)


async def test_a_call_for_help_taken_counts_the_one_who_took_it(
    services: Services, clock: MovableClock
) -> None:
    made = await a_group_of_two(services)
    async with services.sessions.begin() as session:
        for reason, coworker in (("help", "Kim"), ("red_check_in", "Sara")):
            session.add(
                HelpRequest(
                    coworker_id=made[coworker].id,
                    reason=reason,
                    created_at=NOW,
                    notified_ids=[made["Bo"].id, made["Anna"].id],  # Bo was told first
                    steps=1,
                )
            )
    assert await figures(services) == {"Kim": 0, "Sara": 0}  # told is not contact

    clock.advance(timedelta(minutes=10))
    async with services.sessions.begin() as session:
        requests = list(await session.scalars(select(HelpRequest).order_by(HelpRequest.id)))
        await escalation.acknowledge(
            services, session, await person(session, made, "Anna"), requests[0].id
        )
        await escalation.acknowledge(
            services, session, await person(session, made, "Bo"), requests[1].id
        )
    assert await figures(services) == {"Kim": 1, "Sara": 1}

    clock.set(datetime(2026, 12, 7, 22, 59, tzinfo=UTC))  # 7 Dec 23:59 local: day 14
    assert await figures(services) == {"Kim": 1, "Sara": 1}
    clock.set(datetime(2026, 12, 7, 23, 0, tzinfo=UTC))  # 8 Dec: taken 15 days ago
    assert await figures(services) == {"Kim": 0, "Sara": 0}


def source(message_id: int) -> Source:
    return Source("text", "Hej", chat_id=2001, message_id=message_id)


async def test_a_broadcast_is_not_contact_but_a_message_to_one_is(services: Services) -> None:
    made = await a_group_of_two(services)
    async with services.sessions.begin() as session:
        anna = await person(session, made, "Anna")
        group_id = (await session.scalars(select(Group.id))).one()
        _, sent = await staff_messages.broadcast(services, session, anna, group_id, source(1))
        assert sent == 0  # nobody has joined: kept, not sent
    async with services.sessions() as session:
        kept = list(await session.scalars(select(Message)))
    assert [(m.coworker_id, m.broadcast) for m in kept] == [
        (made["Kim"].id, True),
        (made["Sara"].id, True),
    ]
    assert await figures(services) == {"Kim": 0, "Sara": 0}

    async with services.sessions.begin() as session:
        bo = await person(session, made, "Bo")
        await staff_messages.send_to(services, session, bo, made["Kim"].id, source(2))
    assert await figures(services) == {"Kim": 1, "Sara": 0}


async def test_a_task_added_for_a_day_ahead_counts_the_day_it_was_added(
    services: Services, clock: MovableClock
) -> None:
    made = await a_group_of_two(services)
    ten_days_ahead = date(2026, 12, 4)
    async with services.sessions.begin() as session:
        anna = await person(session, made, "Anna")
        template = (await session.scalars(select(TaskTemplate))).one()
        for day in (ten_days_ahead, date(2026, 11, 25)):  # two tasks: Anna counts once
            await add_task.add_once(
                services,
                session,
                coworker=await person(session, made, "Kim"),
                template=template,
                day=day,
                actor=anna,
            )
    assert await figures(services) == {"Kim": 1, "Sara": 0}
    async with services.sessions() as session:
        moments = list(await session.scalars(select(PlannedTask.added_at)))
    assert len(moments) == 2
    assert all(NOW <= at < NOW + timedelta(hours=1) for at in moments if at)  # the clock runs

    # On the list's own day the addition is ten days old: it still counts, once.
    clock.set(datetime(2026, 12, 4, 8, 0, tzinfo=UTC))
    assert await figures(services) == {"Kim": 1, "Sara": 0}
    # Fourteen days after it was added it no longer counts, though the list's day
    # (4 Dec) is well inside the window.
    clock.set(datetime(2026, 12, 8, 8, 0, tzinfo=UTC))
    assert await figures(services) == {"Kim": 0, "Sara": 0}


async def test_an_approval_counts_the_day_it_was_made(
    services: Services, clock: MovableClock
) -> None:
    made = await a_group_of_two(services)
    async with services.sessions.begin() as session:
        template = (await session.scalars(select(TaskTemplate))).one()
        kim = await person(session, made, "Kim")
        # The bot drafts (no one added it): not contact.
        task = await planning.add_task(
            services, session, coworker=kim, template=template, day=date(2026, 12, 7)
        )
        plan_id = task.day_plan_id
    assert await figures(services) == {"Kim": 0, "Sara": 0}

    clock.advance(timedelta(days=2))  # approved on Thursday 26 Nov, for 7 Dec
    async with services.sessions.begin() as session:
        await review.approve(services, session, await person(session, made, "Bo"), plan_id)
    async with services.sessions() as session:
        plan = await session.get_one(DayPlan, plan_id)
    assert plan.approved_by_id == made["Bo"].id and plan.approved_at is not None
    assert plan.approved_at - (NOW + timedelta(days=2)) < timedelta(hours=1)
    assert await figures(services) == {"Kim": 1, "Sara": 0}

    clock.set(datetime(2026, 12, 9, 22, 59, tzinfo=UTC))  # 9 Dec, local: day 14
    assert await figures(services) == {"Kim": 1, "Sara": 0}
    clock.set(datetime(2026, 12, 9, 23, 0, tzinfo=UTC))  # 10 Dec: 15 days ago
    assert await figures(services) == {"Kim": 0, "Sara": 0}


async def test_messages_count_on_their_day_and_the_window_is_fourteen_local_days(
    services: Services,
) -> None:
    """The window is today and the 13 days before it, from local midnight to now."""
    made = await a_group_of_two(services)
    anna, bo, kim, sara = (made[n] for n in ("Anna", "Bo", "Kim", "Sara"))
    async with services.sessions.begin() as session:
        session.add_all(
            [
                answer(kim, anna, WINDOW_START),  # the window's first moment: counts
                answer(kim, bo, WINDOW_START - timedelta(seconds=1)),  # the day before
                answer(sara, anna, NOW),  # just now: counts
                answer(sara, bo, NOW + timedelta(hours=1)),  # not yet happened
            ]
        )
    assert await figures(services) == {"Kim": 1, "Sara": 1}
    async with services.sessions() as session:
        found = await continuity_repo.contacts(
            session, [kim.id, sara.id], WINDOW_START, NOW + timedelta(days=1)
        )
    assert [(c.coworker_id, c.staff_id, c.how) for c in found] == [
        (kim.id, anna.id, "message"),
        (sara.id, anna.id, "message"),
        (sara.id, bo.id, "message"),
    ]


# --- rows kept before the moments were ----------------------------------------------


def _table(name: str, **columns: TypeEngine[Any]) -> TableClause:
    return sa_table(name, *(sa_column(key, kind) for key, kind in columns.items()))


async def test_the_migration_dates_older_rows_and_finds_older_broadcasts(
    database: Database,
) -> None:
    """Before migration h8c0a1e2b3d4 nothing kept when a list was approved or a task
    added: they take their list's ``created_at``; a staff message copied to two
    co-workers was a broadcast, one copied to one was not."""
    before, made = "d4f1c0a7e9b2", datetime(2026, 11, 20, 17, 0, tzinfo=UTC)
    engine = database.engine()
    try:
        async with engine.begin() as conn:
            await conn.run_sync(lambda sync: command.upgrade(alembic_config(sync), before))
            persons = _table(
                "persons",
                id=Integer(),
                display_name=String(),
                role=String(),
                language=String(),
                morning_time=Time(),
                quiet_start=Time(),
                quiet_end=Time(),
                capacity=Integer(),
                active=Boolean(),
                unreachable=Boolean(),
                created_at=UTCDateTime(),
            )
            await conn.execute(
                insert(persons),
                [
                    dict(
                        id=n,
                        display_name=name,
                        role=role,
                        language="sv",
                        morning_time=time(8),
                        quiet_start=time(20),
                        quiet_end=time(7),
                        capacity=6,
                        active=True,
                        unreachable=False,
                        created_at=made,
                    )
                    for n, name, role in [
                        (1, "Anna", "support"),
                        (2, "Kim", "coworker"),
                        (3, "Sara", "coworker"),
                    ]
                ],
            )
            await conn.execute(
                insert(
                    _table(
                        "task_templates",
                        id=Integer(),
                        title=String(),
                        instructions=String(),
                        goal=String(),
                        strain=Integer(),
                        expected_minutes=Integer(),
                        with_support=Boolean(),
                        active=Boolean(),
                        created_at=UTCDateTime(),
                    )
                ),
                [
                    dict(
                        id=1,
                        title="Vattna",
                        instructions="",
                        goal="",
                        strain=1,
                        expected_minutes=30,
                        with_support=False,
                        active=True,
                        created_at=made,
                    )
                ],
            )
            await conn.execute(
                insert(
                    _table(
                        "day_plans",
                        id=Integer(),
                        coworker_id=Integer(),
                        day=Date(),
                        status=String(),
                        deliver_at=UTCDateTime(),
                        approved_by_id=Integer(),
                        created_at=UTCDateTime(),
                    )
                ),
                [
                    dict(
                        id=1,
                        coworker_id=2,
                        day=date(2026, 11, 30),
                        status="approved",
                        deliver_at=made,
                        approved_by_id=1,
                        created_at=made,
                    )
                ],
            )
            await conn.execute(
                insert(
                    _table(
                        "planned_tasks",
                        id=Integer(),
                        day_plan_id=Integer(),
                        template_id=Integer(),
                        position=Integer(),
                        status=String(),
                        steps_done=JSON(),
                        first_time=Boolean(),
                        with_support=Boolean(),
                        added_by_id=Integer(),
                    )
                ),
                [
                    dict(
                        id=n,
                        day_plan_id=1,
                        template_id=1,
                        position=n,
                        status="open",
                        steps_done=[],
                        first_time=False,
                        with_support=False,
                        added_by_id=by,
                    )
                    for n, by in [(1, 1), (2, None)]
                ],
            )
            await conn.execute(
                insert(
                    _table(
                        "messages",
                        id=Integer(),
                        coworker_id=Integer(),
                        staff_id=Integer(),
                        direction=String(),
                        kind=String(),
                        source_chat_id=Integer(),
                        source_message_id=Integer(),
                        created_at=UTCDateTime(),
                    )
                ),
                [
                    dict(
                        id=n,
                        coworker_id=to,
                        staff_id=1,
                        direction="to_coworker",
                        kind="text",
                        source_chat_id=9,
                        source_message_id=source,
                        created_at=made,
                    )
                    for n, to, source in [(1, 2, 1), (2, 3, 1), (3, 2, 2)]
                ],
            )
        await upgrade(engine)
        async with engine.connect() as conn:
            approved = (await conn.execute(select(DayPlan.approved_at))).scalars().all()
            added = (
                (await conn.execute(select(PlannedTask.added_at).order_by(PlannedTask.id)))
                .scalars()
                .all()
            )
            broadcast = (
                (await conn.execute(select(Message.broadcast).order_by(Message.id))).scalars().all()
            )
    finally:
        await engine.dispose()
    assert approved == [made]
    assert added == [made, None]  # a drafted task was never added by anyone
    assert broadcast == [True, True, False]
