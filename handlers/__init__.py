"""The doors people's updates come in by. Each module is thin: parse, check, call, render."""

from __future__ import annotations

from telegram.ext import Application

from handlers import (
    add_task,
    catalogue_file,
    checkins,
    contacts,
    continuity,
    edits,
    errors,
    escalation,
    groups,
    invite,
    membership,
    messages,
    new_task,
    outlook,
    people,
    preferences,
    recurring,
    reminders,
    review,
    rota,
    send,
    start,
    tasks,
    team,
)


def register(application: Application) -> None:  # type: ignore[type-arg]
    # The staff conversations come before the catalogue-file door (/newtask takes
    # documents as attachments); messages comes last: it is the catch-all.
    conversations = [invite, contacts, groups, new_task, add_task, send]
    doors = [start, *conversations, catalogue_file, tasks, review, preferences, rota, membership]
    doors.append(reminders)  # "Later" and the snooze times
    doors += [checkins, outlook, people]  # the check-ins; /week and /history; /people
    doors += [team, continuity, escalation]
    doors.append(recurring)  # /repeat: a co-worker's recurring tasks
    for handler in [h for door in [*doors, messages] for h in door.handlers()]:
        application.add_handler(handler)
    application.add_handler(edits.handler(), group=edits.GROUP)
    application.add_error_handler(errors.on_error)
