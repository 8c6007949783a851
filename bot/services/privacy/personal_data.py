"""The data-protection rights of the people in Vardag: a copy of everything held about
one person (subject access), and erasing it all (right to erasure).

Both are for the operator on the command line; both leave an entry in the audit trail.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.services.errors import OrganisationError
from bot.services.privacy import audit
from storage.models import Group, Person
from storage.repos import personal_data as repo

Json = dict[str, Any]


def _plain(value: Any) -> Any:
    """A value as JSON holds it: dates and times as ISO strings (enums are strings)."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def _row(row: Any, *columns: str) -> Json:
    return {column: _plain(getattr(row, column)) for column in columns}


async def _name(session: AsyncSession, person_id: int | None) -> str | None:
    if person_id is None:
        return None
    person = await session.get(Person, person_id)
    return person.display_name if person else None


async def export(services: Services, session: AsyncSession, person: Person) -> Json:
    """Everything Vardag holds about ``person``; recorded in the audit trail."""
    pid = person.id
    group = await session.get(Group, person.group_id) if person.group_id else None
    contacts = await repo.contacts_of(session, pid)
    staffed = [await session.get(Group, g) for g in await repo.group_ids_staffed(session, pid)]
    data: Json = {
        "exported_at": _plain(services.now()),
        "person": _row(
            person,
            "id",
            "telegram_user_id",
            "display_name",
            "role",
            "language",
            "morning_time",
            "quiet_start",
            "quiet_end",
            "capacity",
            "weekday_capacity",
            "evening_preview",
            "active",
            "unreachable",
            "created_at",
        ),
        "group": group.name if group else None,
        "staff_in_groups": [g.name for g in staffed if g is not None],
        "contact_persons": {
            "primary": await _name(session, contacts.primary_id),
            "secondary": await _name(session, contacts.secondary_id),
        }
        if contacts
        else None,
        "contact_person_for": [p.display_name for p in await repo.contact_for(session, pid)],
        "day_plans": [
            _row(plan, "day", "status", "deliver_at", "sent_at", "created_at")
            | {
                "approved_by": await _name(session, plan.approved_by_id),
                "tasks": [
                    {"title": task.template.title}
                    | _row(
                        task,
                        "position",
                        "time_of_day",
                        "status",
                        "steps_done",
                        "first_time",
                        "with_support",
                        "carried_from",
                        "deferred_from",
                        "deferred_reason",
                        "not_today_reason",
                        "done_at",
                    )
                    for task in plan.tasks
                ],
            }
            for plan in await repo.plans(session, pid)
        ],
        "check_ins": [
            _row(c, "day", "kind", "value", "note", "created_at")
            for c in await repo.check_ins(session, pid)
        ],
        "messages": [
            _row(
                m,
                "direction",
                "kind",
                "body",
                "source_chat_id",
                "source_message_id",
                "relayed_chat_id",
                "relayed_message_id",
                "created_at",
                "relayed_at",
            )
            | {"staff": await _name(session, m.staff_id)}
            for m in await repo.messages(session, pid)
        ],
        "help_requests": [
            _row(h, "reason", "created_at", "steps", "acknowledged_at", "exhausted_at")
            | {"acknowledged_by": await _name(session, h.acknowledged_by_id)}
            for h in await repo.help_requests(session, pid)
        ],
        "promises": [
            _row(p, "kind", "due_at", "made_at", "kept_at", "outcome", "closed_at")
            for p in await repo.promises(session, pid)
        ],
        "reminders": [
            _row(r, "planned_task_id", "kind", "status", "due_at", "repeats", "last_sent_at")
            for r in await repo.reminders(session, pid)
        ],
        "recurrences": [
            _row(r, "template_id", "rrule", "starts_on", "time_of_day", "active")
            for r in await repo.recurrences(session, pid)
        ],
        "invites": [
            _row(i, "role", "created_at", "expires_at", "used_at", "revoked_at")
            for i in await repo.invites(session, pid)
        ],
        "duty_shifts": [
            _row(s, "weekday", "start_time", "end_time")
            for s in await repo.duty_shifts(session, pid)
        ],
        "absences": [
            _row(a, "starts_at", "ends_at", "reason") for a in await repo.absences(session, pid)
        ],
        "outbox": [
            _row(
                o,
                "kind",
                "status",
                "payload",
                "attempts",
                "created_at",
                "next_attempt_at",
                "sent_at",
                "telegram_message_id",
            )
            for o in await repo.outbox(session, person)
        ],
        "audit": [
            _row(a, "action", "detail", "created_at")
            | {
                "actor": "self" if a.actor_id == pid else await _name(session, a.actor_id),
                "subject": "self" if a.subject_id == pid else await _name(session, a.subject_id),
            }
            for a in await repo.audit_entries(session, pid)
        ],
    }
    await audit.record(services, session, actor=None, subject=person, action="person.export")
    return data


async def refuse_if_contact_person(session: AsyncSession, person: Person) -> None:
    """Staff who are still someone's contact person must be replaced first."""
    coworkers = await repo.contact_for(session, person.id)
    if coworkers:
        names = ", ".join(f"{c.display_name} (#{c.id})" for c in coworkers)
        raise OrganisationError(
            "privacy.still_contact", name=person.display_name, id=person.id, coworkers=names
        )


async def erase(services: Services, session: AsyncSession, person: Person) -> int:
    """Delete ``person`` and everything about them, in the caller's transaction.
    Returns the id they had."""
    await refuse_if_contact_person(session, person)
    person_id = person.id
    await repo.delete_everything(session, person, pseudonym=f"erased person #{person_id}")
    await audit.record(
        services, session, actor=None, subject=None, action="person.erase", detail=f"#{person_id}"
    )
    return person_id
