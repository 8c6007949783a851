"""The doors people's updates come in by. Each module is thin: parse, check, call, render."""

from __future__ import annotations

from telegram.ext import Application

from handlers import errors, messages, start, tasks


def register(application: Application) -> None:  # type: ignore[type-arg]
    for handler in [*start.handlers(), *tasks.handlers(), *messages.handlers()]:
        application.add_handler(handler)
    application.add_error_handler(errors.on_error)
