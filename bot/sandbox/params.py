"""Request parameters of a Bot API call, read the way the Bot API server reads them.

A parameter may arrive as a string (query string, ``x-www-form-urlencoded`` or multipart
form: python-telegram-bot sends every value JSON-encoded as a string, ``"true"``, ``"42"``,
``'{"inline_keyboard": ...}'``) or as a native JSON value (``application/json`` bodies).
The accessors here accept both.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.sandbox.errors import bad_request

_INT_PREFIX = re.compile(r"\s*([+-]?\d+)")


@dataclass(frozen=True)
class UploadedFile:
    """A file that came in a multipart/form-data part."""

    field: str
    filename: str | None
    content_type: str | None
    data: bytes


class Params:
    """The parameters of one call, with typed accessors."""

    def __init__(
        self,
        values: Mapping[str, Any],
        files: Mapping[str, UploadedFile] | None = None,
    ) -> None:
        self._values = dict(values)
        self._files = dict(files or {})

    def __repr__(self) -> str:
        return f"Params({self._values!r}, files={sorted(self._files)!r})"

    def names(self) -> set[str]:
        return set(self._values) | set(self._files)

    def raw(self, name: str) -> Any:
        return self._values.get(name)

    def has(self, name: str) -> bool:
        """Present and not empty (the Bot API treats an empty string as absent)."""
        value = self._values.get(name)
        return value is not None and value != ""

    def get_str(self, name: str, default: str | None = None) -> str | None:
        value = self._values.get(name)
        if value is None:
            return default
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        return json.dumps(value, ensure_ascii=False)

    def get_int(self, name: str, default: int | None = None) -> int | None:
        """An integer, parsed like the Bot API does: the leading digits, else 0."""
        value = self._values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            return int(value)
        match = _INT_PREFIX.match(str(value))
        return int(match.group(1)) if match else 0

    def get_float(self, name: str) -> float | None:
        value = self._values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return float(value)
        if isinstance(value, int | float):
            return float(value)
        try:
            return float(str(value).strip())
        except ValueError:
            return 0.0

    def get_bool(self, name: str, default: bool = False) -> bool:
        value = self._values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            return value != 0
        return str(value).strip().lower() in {"true", "yes", "1"}

    def get_json(self, name: str, what: str | None = None) -> Any:
        """A JSON value; strings are decoded. ``None`` when absent.

        With ``what``, an undecodable string is a 400 ``can't parse <what> JSON object``;
        without it, an undecodable string counts as absent (as the Bot API does for
        ``allowed_updates``).
        """
        value = self._values.get(name)
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError:
            if what is None:
                return None
            raise bad_request(f"can't parse {what} JSON object") from None

    def get_file(self, name: str) -> UploadedFile | None:
        return self._files.get(name)
