"""Identity comes from the sender, never from the button: every kind of button, forged
or pressed by the wrong person, gets a clear answer and changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.sandbox.client import SandboxClient
from bot.telegram.callbacks import Action
from storage.models import AuditEntry, Invite, Person, PlannedTask, Role, TaskStatus
from tests.e2e.conftest import RunningBot
from tests.e2e.helpers import coworker_with_plan, open_today
from tests.e2e.test_joining import STRANGER, invite, join

KIM, SARA, ANNA, EVE = 1001, 1002, 2001, 6666
UNKNOWN = "Den knappen fungerar inte längre."
NOT_AVAILABLE = "Den uppgiften finns inte längre på din lista."


def forged(action: Action, target: str) -> str:
    return f"{action.value}:{target}"


async def snapshot(bot: RunningBot) -> tuple[object, ...]:
    """What a forged press must not change."""
    async with bot.services.sessions() as session:
        tasks = [
            (t.id, t.status)
            for t in await session.scalars(select(PlannedTask).order_by(PlannedTask.id))
        ]
        persons = [
            (p.id, p.language, p.morning_time, p.telegram_user_id, p.group_id)
            for p in await session.scalars(select(Person).order_by(Person.id))
        ]
        invites = [i.id for i in await session.scalars(select(Invite).order_by(Invite.id))]
        audits = [a.id for a in await session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    return tuple(tasks), tuple(persons), tuple(invites), tuple(audits)


@pytest.fixture
async def world(running_bot: RunningBot, people: SandboxClient) -> dict[str, int]:
    services = running_bot.services
    kim, (kims_task,) = await coworker_with_plan(
        services, name="Kim", telegram_id=KIM, day=services.today()
    )
    await coworker_with_plan(services, name="Sara", telegram_id=SARA, day=services.today())
    anna = await invite(services, Role.SUPPORT, "Anna")
    await join(people, ANNA, "Anna", anna.code)
    await people.add_user(SARA, "Sara")
    await people.add_user(EVE, "Eve")
    await people.send_text(EVE, "hej")
    await people.wait_for(EVE, lambda m: m.from_bot)
    saras_list = await open_today(people, SARA)
    return {"kims_task": kims_task.id, "saras_list": saras_list.message_id, "kim": kim.id}


BUTTONS = [
    # (who presses, data, expected answer); {task} is Kim's task.
    (SARA, forged(Action.DONE, "{task}"), NOT_AVAILABLE),
    (SARA, forged(Action.OPEN_TASK, "{task}"), NOT_AVAILABLE),
    (SARA, forged(Action.DONE, "99999999"), NOT_AVAILABLE),
    (SARA, forged(Action.LANGUAGE, "7"), UNKNOWN),
    (SARA, forged(Action.MORNING, "1439"), UNKNOWN),
    (SARA, forged(Action.INVITE_ROLE, "2"), UNKNOWN),
    (SARA, forged(Action.INVITE_GROUP, "1"), UNKNOWN),
    (SARA, forged(Action.CONTACT_COWORKER, "{kim}"), UNKNOWN),
    (SARA, forged(Action.CONTACT_PRIMARY, "1"), UNKNOWN),
    (SARA, forged(Action.CONTACT_SECONDARY, "1"), UNKNOWN),
    (ANNA, forged(Action.CONTACT_SECONDARY, "1"), UNKNOWN),
    (SARA, forged(Action.REVIEW_COWORKER, "{kim}"), UNKNOWN),
    (SARA, forged(Action.REVIEW_REMOVE, "{task}"), UNKNOWN),
    (SARA, forged(Action.REVIEW_APPROVE, "1"), UNKNOWN),
    (ANNA, forged(Action.REVIEW_REMOVE, "{task}"), "Den listan kan du inte ändra."),
    (SARA, "x" * 64, UNKNOWN),
    (SARA, "d:-1", UNKNOWN),
    (ANNA, forged(Action.DONE, "{task}"), UNKNOWN),
    (ANNA, forged(Action.MORNING, "480"), UNKNOWN),
    (EVE, forged(Action.DONE, "{task}"), STRANGER),
    (EVE, forged(Action.LANGUAGE, "1"), STRANGER),
    (EVE, forged(Action.INVITE_ROLE, "2"), STRANGER),
    (EVE, Action.TODAY.value, STRANGER),
    (EVE, forged(Action.CONTACT_COWORKER, "{kim}"), STRANGER),
    (EVE, forged(Action.REVIEW_APPROVE, "1"), STRANGER),
]


@pytest.mark.parametrize(("presser", "data", "expected"), BUTTONS)
async def test_forged_or_foreign_button(
    running_bot: RunningBot,
    people: SandboxClient,
    world: dict[str, int],
    presser: int,
    data: str,
    expected: str,
) -> None:
    before = await snapshot(running_bot)
    pressed = await people.press(
        presser, world["saras_list"], data=data.format(task=world["kims_task"], kim=world["kim"])
    )
    answer = await people.wait_for_answer(pressed)
    assert answer["text"] == expected
    assert answer["show_alert"]
    assert await snapshot(running_bot) == before
    async with running_bot.services.sessions() as session:
        task = await session.get(PlannedTask, world["kims_task"])
    assert task is not None and task.status is TaskStatus.OPEN
