"""Numbers and bytes the database cannot hold: a button whose id is beyond the 32-bit
columns is a forged button (the short answer, nothing changed), and a NUL in what a
co-worker writes is stored as the replacement character and relayed, not an error."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.sandbox.client import SandboxClient
from bot.telegram.callbacks import DAY_FACTOR, MAX_ID, Action
from storage.models import Message
from tests.e2e.conftest import RunningBot
from tests.e2e.helpers import seen
from tests.e2e.test_access import ANNA, SARA, UNKNOWN, snapshot, world
from tests.e2e.test_relay import ANNA as RELAY_ANNA
from tests.e2e.test_relay import KIM, a_group, at, kim_says, relayed

__all__ = ["world"]  # the fixture, shared with tests/e2e/test_access.py
TOO_BIG = MAX_ID + 1

BUTTONS = [
    (SARA, f"{Action.DONE.value}:{TOO_BIG}"),
    (SARA, f"{Action.OPEN_TASK.value}:{10**17}"),
    (SARA, f"{Action.SHOW_STEPS.value}:{TOO_BIG}"),
    (SARA, f"{Action.TICK_STEP.value}:{TOO_BIG * 100}"),
    (SARA, f"{Action.SNOOZE.value}:{TOO_BIG * 1000 + 60}"),
    (SARA, f"{Action.HELP.value}:{TOO_BIG}"),
    (ANNA, f"{Action.REVIEW_COWORKER.value}:{TOO_BIG}"),
    (ANNA, f"{Action.REVIEW_DAY.value}:{TOO_BIG * 100}"),
    (ANNA, f"{Action.REVIEW_ADD.value}:{TOO_BIG * DAY_FACTOR + 739_944}"),
    (ANNA, f"{Action.REVIEW_APPROVE.value}:{TOO_BIG}"),
    (ANNA, f"{Action.ACKNOWLEDGE.value}:{TOO_BIG}"),
    (ANNA, f"{Action.CONTACT_COWORKER.value}:{TOO_BIG}"),
]


@pytest.mark.parametrize(("presser", "data"), BUTTONS)
async def test_an_id_beyond_the_columns_is_a_forged_button(
    running_bot: RunningBot,
    people: SandboxClient,
    world: dict[str, int],
    presser: int,
    data: str,
) -> None:
    before = await snapshot(running_bot)
    pressed = await people.press(presser, world["saras_list"], data=data)
    answer = await people.wait_for_answer(pressed)
    assert answer["text"] == UNKNOWN
    assert await snapshot(running_bot) == before


async def test_a_nul_in_a_coworkers_text_is_kept_and_relayed(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    await a_group(running_bot, people)
    at(running_bot, 9)
    annas = await seen(people, RELAY_ANNA)
    # (Telegram turns a NUL in a text into a space; a caption is taken as it is.)
    receipt = await kim_says(people, people.send_photo(KIM, caption="Klar\x00 med disken"))
    assert receipt == "Skickat till Anna."
    (copy,) = await relayed(people, RELAY_ANNA, annas)  # one photo; the caption says who
    assert copy.kind == "photo" and (copy.caption or "").startswith("✉️ Från Kim")
    caption = (copy.caption or "").splitlines()
    assert caption[1].startswith("Klar") and caption[1].endswith(" med disken")  # kept words
    async with running_bot.services.sessions() as session:
        assert await session.scalar(select(Message.body)) == "Klar\ufffd med disken"
