"""Telegram-shaped errors.

Every failure of a Bot API call is answered as Telegram answers it::

    {"ok": false, "error_code": 400, "description": "Bad Request: ..."}

with the same HTTP status; a 429 also carries ``"parameters": {"retry_after": N}``.
"""

from __future__ import annotations

from typing import Any

_PREFIXES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    504: "Gateway Timeout",
}


class ApiError(Exception):
    """A Bot API error: the HTTP status, Telegram's description and maybe a retry_after."""

    def __init__(
        self, error_code: int, description: str, *, retry_after: int | None = None
    ) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body

    def __repr__(self) -> str:
        return f"ApiError({self.error_code}, {self.description!r})"


def _with_prefix(code: int, message: str) -> str:
    prefix = _PREFIXES[code]
    return f"{prefix}: {message}" if message else prefix


def bad_request(message: str) -> ApiError:
    """400 ``Bad Request: <message>``."""
    return ApiError(400, _with_prefix(400, message))


def forbidden(message: str) -> ApiError:
    """403 ``Forbidden: <message>``."""
    return ApiError(403, _with_prefix(403, message))


def conflict(message: str) -> ApiError:
    """409 ``Conflict: <message>``."""
    return ApiError(409, _with_prefix(409, message))


def too_many_requests(retry_after: int) -> ApiError:
    """429 with ``parameters.retry_after`` as Telegram sends it."""
    seconds = max(1, int(retry_after))
    return ApiError(429, f"Too Many Requests: retry after {seconds}", retry_after=seconds)


def unauthorized() -> ApiError:
    return ApiError(401, "Unauthorized")


def not_found() -> ApiError:
    return ApiError(404, "Not Found")


def internal_error() -> ApiError:
    return ApiError(500, "Internal Server Error")


def gateway_timeout() -> ApiError:
    return ApiError(504, "Gateway Timeout")


# The descriptions the sandbox uses in more than one place.
CHAT_NOT_FOUND = "chat not found"
BLOCKED = "bot was blocked by the user"
MESSAGE_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"
WEBHOOK_ACTIVE = (
    "can't use getUpdates method while webhook is active; use deleteWebhook to delete the "
    "webhook first"
)
