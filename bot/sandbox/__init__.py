"""A local Telegram Bot API server (a test double of Telegram) and a client acting as people.

- ``SandboxServer``: Bot API on ``/bot<token>/<method>``, people routes on ``/sandbox/...``.
- ``SandboxState``: the in-memory world (users, chats, messages, updates).
- ``FaultConfig`` / ``LimitConfig``: injected failures and rate limits.
- ``SandboxClient`` / ``SandboxMessage``: a test acting as a person.
"""

from bot.sandbox.client import (
    CallbackAnswer,
    SandboxButton,
    SandboxClient,
    SandboxClientError,
    SandboxMessage,
)
from bot.sandbox.errors import ApiError
from bot.sandbox.limits import FaultConfig, LimitConfig
from bot.sandbox.server import DEFAULT_TOKEN, SandboxServer
from bot.sandbox.state import SandboxState

__all__ = [
    "DEFAULT_TOKEN",
    "ApiError",
    "CallbackAnswer",
    "FaultConfig",
    "LimitConfig",
    "SandboxButton",
    "SandboxClient",
    "SandboxClientError",
    "SandboxMessage",
    "SandboxServer",
    "SandboxState",
]
