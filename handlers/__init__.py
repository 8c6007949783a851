"""The doors people's updates come in by. Each module is thin: parse, check, call, render."""

from __future__ import annotations

from telegram.ext import Application

from handlers import errors, membership, messages, preferences, start, tasks


def register(application: Application) -> None:  # type: ignore[type-arg]
    doors = [start, tasks, preferences, membership, messages]  # messages last: the catch-all
    for handler in [h for door in doors for h in door.handlers()]:
        application.add_handler(handler)
    application.add_error_handler(errors.on_error)
