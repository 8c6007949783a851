"""The logs never show the bot token or what people write, even at DEBUG level, through a
day's traffic: joining, a list, a relayed message and an answer."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from bot import logs
from bot.sandbox.client import SandboxClient
from bot.services import contacts
from storage.models import Role
from tests.conftest import TEST_TOKEN
from tests.e2e.conftest import RunningBot
from tests.e2e.helpers import sent_and_recorded
from tests.e2e.test_joining import invite, join

ANNA, KIM = 2001, 1001
SECRET_WORDS = "Min hemliga rad 4711"
ANSWER_WORDS = "Svar som inte får loggas 0815"


@pytest.fixture
def logging_as_in_production() -> Iterator[None]:
    """``vardag run``'s logging set-up, at DEBUG, undone afterwards."""
    quiet = {name: logging.getLogger(name).level for name in (*logs.QUIET, *logs.AT_MOST_INFO)}
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    logs.setup("DEBUG", TEST_TOKEN)
    yield
    for name, old in quiet.items():
        logging.getLogger(name).setLevel(old)
    root.setLevel(level)
    root.handlers[:] = handlers


async def test_no_token_and_no_message_text_in_the_logs(
    logging_as_in_production: None,
    running_bot: RunningBot,
    people: SandboxClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    services = running_bot.services
    for role, name, user in ((Role.SUPPORT, "Anna", ANNA), (Role.COWORKER, "Kim", KIM)):
        made = await invite(services, role, name)
        await join(people, user, name, made.code)
    await invite(services, Role.SUPPORT, "Bo")
    async with services.sessions.begin() as session:
        await contacts.set_contacts(services, session, "Kim", "Anna", "Bo")
    await people.send_text(KIM, SECRET_WORDS)
    copy = await people.wait_for(ANNA, lambda m: m.text == SECRET_WORDS)
    await sent_and_recorded(services, ANNA, copy.message_id)
    await people.send_text(ANNA, ANSWER_WORDS, reply_to=copy.message_id)
    await people.wait_for(KIM, lambda m: m.text == ANSWER_WORDS)

    text = "\n".join(record.getMessage() for record in caplog.records)
    assert any(r.name == "handlers.start" for r in caplog.records)  # the logging did run
    assert TEST_TOKEN not in text
    assert TEST_TOKEN.split(":")[1] not in text
    assert SECRET_WORDS not in text and ANSWER_WORDS not in text
