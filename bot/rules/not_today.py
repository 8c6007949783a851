"""Why a co-worker puts a task off: the reasons they may give, in the order of their buttons."""

from __future__ import annotations

# "Not today" reasons, in the order of their buttons; None: the co-worker would rather
# not say. The codes are stored; people see them in words.
NOT_TODAY_REASONS: tuple[str | None, ...] = ("tired", "no_time", "other", None)
