"""A job that fails every tick (the database down, say) logs one line, not a traceback
every few seconds, and never as an update's error."""

from __future__ import annotations

import logging
from typing import cast

import pytest
from sqlalchemy.exc import OperationalError

from jobs.common import Context, logged_once

state = {"down": True}


async def drain_outbox(context: Context) -> None:
    del context
    if state["down"]:
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError())


async def test_one_line_per_kind_of_failure_and_one_when_it_works_again(
    caplog: pytest.LogCaptureFixture,
) -> None:
    job = logged_once(drain_outbox)
    context = cast(Context, None)
    with caplog.at_level(logging.WARNING, logger="jobs.common"):
        for _ in range(5):
            await job(context)
        state["down"] = False
        await job(context)
        await job(context)
    assert [r.getMessage() for r in caplog.records] == [
        "job drain_outbox failed (OperationalError); it runs again at its next tick",
        "job drain_outbox works again",
    ]
    assert not caplog.records[0].exc_info  # no traceback for the world outside
    assert "update" not in caplog.text
