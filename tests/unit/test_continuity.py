"""The continuity figure on a known history: different staff who answered, planned for
or helped each co-worker in the last 14 days."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.i18n import LANGUAGES, Texts
from bot.services.context import Services
from bot.services.continuity import Figure, GroupFigures
from bot.views.continuity_chart import chart_caption, continuity_chart
from storage.models import DayPlan, Direction, Group, Message, Person, PlanStatus, Role
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
