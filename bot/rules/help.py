"""A call for help: the value its button carries when the help is not about a task."""

from __future__ import annotations

NO_TASK = 0  # the HELP target for help that is not about a task
