"""The JSON log format: one object a line, the update's id only while an update is being
processed, and the token replaced even inside a traceback."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from telegram import Update

from bot import logs

TOKEN = "123456789:unit-test-token"


@pytest.fixture
def json_logger() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    written = io.StringIO()
    handler = logging.StreamHandler(written)
    handler.setFormatter(logs.JsonLines(TOKEN))
    handler.addFilter(logs.WithUpdateId())
    logger = logging.getLogger("vardag.test.logs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger, written
    logger.removeHandler(handler)


def lines(written: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in written.getvalue().splitlines()]


async def test_the_update_id_is_there_while_the_update_is_processed(
    json_logger: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, written = json_logger

    async def handle() -> None:
        logger.info("handling %s", "it")

    logger.info("before")
    await logs.UpdateIdForLogs(1).process_update(Update(update_id=42), handle())
    logger.info("after")
    before, during, after = lines(written)
    assert before.keys() == {"time", "level", "logger", "message"}
    assert during["update_id"] == 42 and during["message"] == "handling it"
    assert during["level"] == "INFO" and during["logger"] == "vardag.test.logs"
    assert "update_id" not in after


def test_a_traceback_stays_on_one_line_without_the_token(
    json_logger: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, written = json_logger
    try:
        raise RuntimeError(f"https://api.telegram.org/bot{TOKEN}/sendMessage failed")
    except RuntimeError:
        logger.exception("sending failed")
    (line,) = lines(written)
    assert line["message"] == "sending failed"
    assert "RuntimeError" in str(line["exception"]) and "bot<token>/sendMessage" in str(
        line["exception"]
    )
    assert TOKEN not in written.getvalue()
