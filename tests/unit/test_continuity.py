"""The continuity figure on a known history: different staff who answered, planned for
or helped each co-worker in the last 14 days."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from bot.services.context import Services
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
