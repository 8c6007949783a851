"""The doors people's updates come in by. Each module is thin: parse, check, call, render."""

from __future__ import annotations

from telegram.ext import Application

from handlers import (
    catalogue_file,
    contacts,
    errors,
    invite,
    membership,
    messages,
    new_task,
    preferences,
    rota,
    start,
    tasks,
)


def register(application: Application) -> None:  # type: ignore[type-arg]
    # messages comes last: it is the catch-all.
    doors = [
        start,
        invite,
        contacts,
        new_task,
        catalogue_file,
        tasks,
        preferences,
        rota,
        membership,
        messages,
    ]
    for handler in [h for door in doors for h in door.handlers()]:
        application.add_handler(handler)
    application.add_error_handler(errors.on_error)
