"""A webhook body that no JSON parser should follow (nested thousands of levels deep) or
that is not JSON at all gets a plain 400, with no traceback in the logs."""

from __future__ import annotations

import logging

import pytest

from bot.context import Services
from tests.e2e.test_webhook import SECRET, on_webhook, post, today_update

__all__ = ["on_webhook"]  # the fixture, shared with tests/e2e/test_webhook.py
KIM = 1001


async def test_deeply_nested_or_broken_json_is_refused_quietly(
    on_webhook: tuple[Services, str], caplog: pytest.LogCaptureFixture
) -> None:
    _, url = on_webhook
    deep = b"[" * 100_000 + b"]" * 100_000
    nested_update = b'{"update_id": 1, "message": ' + b'{"a": ' * 50_000 + b"1" + b"}" * 50_001
    with caplog.at_level(logging.WARNING):
        assert await post(url, deep, SECRET) == 400
        assert await post(url, nested_update, SECRET) == 400
        assert await post(url, b'{"update_id": 1, "message": {', SECRET) == 400
        assert await post(url, b"\xff\xfe", SECRET) == 400
    assert not [r for r in caplog.records if r.exc_info is not None]
    assert await post(url, today_update(9301, KIM), SECRET) == 200  # and it still works
