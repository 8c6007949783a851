"""The logs never show the bot token or what people write, even at DEBUG level, through a
day's traffic: joining, a list, a relayed message and an answer; in the text format and
in the JSON one (one object a line, with the update's id where there is one)."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator

import pytest

from bot import logs
from bot.sandbox.client import SandboxClient
from bot.services.people import contacts
from storage.models import Role
from tests.conftest import TEST_TOKEN
from tests.e2e.conftest import RunningBot
from tests.e2e.helpers import sent_and_recorded
from tests.e2e.test_joining import invite, join

ANNA, KIM = 2001, 1001
SECRET_WORDS = "Min hemliga rad 4711"
ANSWER_WORDS = "Svar som inte får loggas 0815"


@pytest.fixture(params=["text", "json"])
def logging_as_in_production(request: pytest.FixtureRequest) -> Iterator[io.StringIO]:
    """``vardag run``'s logging set-up, at DEBUG, in each format (``VARDAG_LOG_FORMAT``),
    writing to a buffer the test reads; undone afterwards."""
    quiet = {name: logging.getLogger(name).level for name in (*logs.QUIET, *logs.AT_MOST_INFO)}
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    written = io.StringIO()
    root.handlers[:] = []  # as in production: nothing set up before
    logs.setup("DEBUG", TEST_TOKEN, request.param, stream=written)
    (ours,) = root.handlers
    root.handlers[:] = [*handlers, ours]
    yield written
    for name, old in quiet.items():
        logging.getLogger(name).setLevel(old)
    root.setLevel(level)
    root.removeHandler(ours)


async def test_no_token_and_no_message_text_in_the_logs(
    logging_as_in_production: io.StringIO,
    running_bot: RunningBot,
    people: SandboxClient,
    caplog: pytest.LogCaptureFixture,
    request: pytest.FixtureRequest,
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
    copy = await people.wait_for(ANNA, lambda m: SECRET_WORDS in m.text)
    await sent_and_recorded(services, ANNA, copy.message_id)
    await people.send_text(ANNA, ANSWER_WORDS, reply_to=copy.message_id)
    await people.wait_for(KIM, lambda m: m.text == ANSWER_WORDS)

    text = "\n".join(record.getMessage() for record in caplog.records)
    assert any(r.name == "handlers.start" for r in caplog.records)  # the logging did run
    written = logging_as_in_production.getvalue()
    for seen in (text, written):
        assert TEST_TOKEN not in seen
        assert TEST_TOKEN.split(":")[1] not in seen
        assert SECRET_WORDS not in seen and ANSWER_WORDS not in seen
        assert not {"Anna", "Kim", "Bo"} & set(re.findall(r"\w+", seen))  # nor their names
    if request.node.callspec.params["logging_as_in_production"] == "text":
        assert " INFO handlers.start: person " in written
        return
    lines = [json.loads(line) for line in written.splitlines()]  # one object a line
    assert all({"time", "level", "logger", "message"} <= line.keys() for line in lines)
    joined = [line for line in lines if line["logger"] == "handlers.start"]
    assert joined and all(isinstance(line["update_id"], int) for line in joined)
    assert joined[0]["level"] == "INFO" and joined[0]["message"].startswith("person ")
    assert any("update_id" not in line for line in lines)  # the clock's, outside any update
