"""Everything held about one person: reading it all (subject access) and deleting it
all (erasure)."""

from __future__ import annotations

from sqlalchemy import Select, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Absence,
    AuditEntry,
    CheckIn,
    ContactPersons,
    ConversationState,
    DayPlan,
    Direction,
    DutyShift,
    GroupStaff,
    HelpRequest,
    InboxUpdate,
    Invite,
    JoinAttempt,
    Message,
    OutboxMessage,
    Person,
    PlannedTask,
    Promise,
    Recurrence,
    Reminder,
)


def _outbox_for(person: Person) -> Select[tuple[OutboxMessage]]:
    addressed = [OutboxMessage.person_id == person.id]
    if person.telegram_user_id is not None:
        addressed.append(OutboxMessage.chat_id == person.telegram_user_id)
    return select(OutboxMessage).where(or_(*addressed))


async def plans(session: AsyncSession, person_id: int) -> list[DayPlan]:
    """Their day plans with the tasks on them (loaded with their templates)."""
    return list(
        await session.scalars(
            select(DayPlan).where(DayPlan.coworker_id == person_id).order_by(DayPlan.day)
        )
    )


async def check_ins(session: AsyncSession, person_id: int) -> list[CheckIn]:
    statement = select(CheckIn).where(CheckIn.person_id == person_id)
    return list(await session.scalars(statement.order_by(CheckIn.day, CheckIn.id)))


async def messages(session: AsyncSession, person_id: int) -> list[Message]:
    """Messages to and from them as a co-worker, and those they wrote as staff."""
    wrote = (Message.staff_id == person_id) & (Message.direction == Direction.TO_COWORKER)
    statement = select(Message).where(or_(Message.coworker_id == person_id, wrote))
    return list(await session.scalars(statement.order_by(Message.id)))


async def help_requests(session: AsyncSession, person_id: int) -> list[HelpRequest]:
    statement = select(HelpRequest).where(HelpRequest.coworker_id == person_id)
    return list(await session.scalars(statement.order_by(HelpRequest.id)))


async def promises(session: AsyncSession, person_id: int) -> list[Promise]:
    """What the system promised them (``docs/safety-net.md``)."""
    statement = select(Promise).where(Promise.person_id == person_id)
    return list(await session.scalars(statement.order_by(Promise.id)))


async def reminders(session: AsyncSession, person_id: int) -> list[Reminder]:
    statement = select(Reminder).where(Reminder.person_id == person_id)
    return list(await session.scalars(statement.order_by(Reminder.id)))


async def invites(session: AsyncSession, person_id: int) -> list[Invite]:
    statement = select(Invite).where(Invite.person_id == person_id)
    return list(await session.scalars(statement.order_by(Invite.id)))


async def recurrences(session: AsyncSession, person_id: int) -> list[Recurrence]:
    statement = select(Recurrence).where(Recurrence.coworker_id == person_id)
    return list(await session.scalars(statement.order_by(Recurrence.id)))


async def duty_shifts(session: AsyncSession, person_id: int) -> list[DutyShift]:
    statement = select(DutyShift).where(DutyShift.person_id == person_id)
    return list(await session.scalars(statement.order_by(DutyShift.id)))


async def absences(session: AsyncSession, person_id: int) -> list[Absence]:
    statement = select(Absence).where(Absence.person_id == person_id)
    return list(await session.scalars(statement.order_by(Absence.id)))


async def outbox(session: AsyncSession, person: Person) -> list[OutboxMessage]:
    """Outbox rows addressed to them (by person or by their Telegram chat)."""
    return list(await session.scalars(_outbox_for(person).order_by(OutboxMessage.id)))


async def audit_entries(session: AsyncSession, person_id: int) -> list[AuditEntry]:
    statement = select(AuditEntry).where(
        or_(AuditEntry.actor_id == person_id, AuditEntry.subject_id == person_id)
    )
    return list(await session.scalars(statement.order_by(AuditEntry.id)))


async def contacts_of(session: AsyncSession, person_id: int) -> ContactPersons | None:
    return await session.get(ContactPersons, person_id)


async def contact_for(session: AsyncSession, person_id: int) -> list[Person]:
    """The co-workers whose contact person (primary or secondary) they are."""
    statement = (
        select(Person)
        .join(ContactPersons, ContactPersons.coworker_id == Person.id)
        .where(
            or_(ContactPersons.primary_id == person_id, ContactPersons.secondary_id == person_id)
        )
        .order_by(Person.id)
    )
    return list(await session.scalars(statement))


async def group_ids_staffed(session: AsyncSession, person_id: int) -> list[int]:
    statement = select(GroupStaff.group_id).where(GroupStaff.person_id == person_id)
    return list(await session.scalars(statement))


async def delete_everything(session: AsyncSession, person: Person, pseudonym: str) -> None:
    """Delete ``person`` and every row about them; audit entries that named them stay,
    with the id taken out and ``pseudonym`` as their detail. Rows others made that only
    name them as author (templates, tasks added, approvals) keep existing: their foreign
    keys are ON DELETE SET NULL."""
    pid = person.id
    plan_ids = select(DayPlan.id).where(DayPlan.coworker_id == pid).scalar_subquery()
    task_ids = select(PlannedTask.id).where(PlannedTask.day_plan_id.in_(plan_ids))
    message_ids = [
        str(i) for i in await session.scalars(select(Message.id).where(Message.coworker_id == pid))
    ]
    request_ids = [
        str(i)
        for i in await session.scalars(select(HelpRequest.id).where(HelpRequest.coworker_id == pid))
    ]
    # What went to staff about them (relay headers and copies, calls for help) is keyed
    # by the message or request; it carries their name and words, so it goes too.
    about_them = [OutboxMessage.idempotency_key.like(f"relay:{i}:%") for i in message_ids] + [
        OutboxMessage.idempotency_key.like(f"help:{i}:%") for i in request_ids
    ]
    # The safety net's notes to staff about them (bot/services/safety_net/held_lists.py,
    # first_list.py) name them too.
    plan_keys = [
        str(i) for i in await session.scalars(select(DayPlan.id).where(DayPlan.coworker_id == pid))
    ]
    about_them += [
        OutboxMessage.idempotency_key.like(f"{prefix}:{pid}:%")
        for prefix in ("held", "joined", "plan-new", "first-missing")
    ] + [
        OutboxMessage.idempotency_key.like(f"{prefix}:{i}:%")
        for prefix in ("not-sent", "sent-late")
        for i in plan_keys
    ]
    addressed = _outbox_for(person).with_only_columns(OutboxMessage.id)
    statements = [
        delete(Reminder).where(
            or_(Reminder.person_id == pid, Reminder.planned_task_id.in_(task_ids))
        ),
        delete(HelpRequest).where(HelpRequest.coworker_id == pid),
        delete(Promise).where(Promise.person_id == pid),
        update(Promise).where(Promise.owner_id == pid).values(owner_id=None),
        delete(PlannedTask).where(PlannedTask.day_plan_id.in_(plan_ids)),
        delete(DayPlan).where(DayPlan.coworker_id == pid),
        delete(CheckIn).where(CheckIn.person_id == pid),
        delete(Message).where(Message.coworker_id == pid),
        update(Message).where(Message.staff_id == pid).values(staff_id=None),
        delete(Recurrence).where(Recurrence.coworker_id == pid),
        delete(Invite).where(Invite.person_id == pid),
        delete(OutboxMessage).where(or_(OutboxMessage.id.in_(addressed), *about_them)),
        delete(ContactPersons).where(ContactPersons.coworker_id == pid),
        delete(GroupStaff).where(GroupStaff.person_id == pid),
        delete(DutyShift).where(DutyShift.person_id == pid),
        delete(Absence).where(Absence.person_id == pid),
        update(AuditEntry).where(AuditEntry.actor_id == pid).values(actor_id=None),
        update(AuditEntry).where(AuditEntry.subject_id == pid).values(subject_id=None),
    ]
    pseudonymise = update(AuditEntry).where(
        or_(AuditEntry.actor_id == pid, AuditEntry.subject_id == pid)
    )
    await session.execute(
        pseudonymise.values(detail=pseudonym), execution_options={"synchronize_session": False}
    )
    if person.telegram_user_id is not None:
        statements.append(
            delete(JoinAttempt).where(JoinAttempt.telegram_user_id == person.telegram_user_id)
        )
        # What they wrote lies in the inbox for a day after it was processed, and their
        # conversation state until it is done: both go now.
        statements += [
            delete(InboxUpdate).where(
                InboxUpdate.lane == person.telegram_user_id, InboxUpdate.processed_at.is_not(None)
            ),
            delete(ConversationState).where(ConversationState.user_id == person.telegram_user_id),
        ]
    for statement in statements:
        await session.execute(statement, execution_options={"synchronize_session": False})
    await _forget_in_help_chains(session, pid)
    session.expunge(person)
    await session.execute(delete(Person).where(Person.id == pid))


async def _forget_in_help_chains(session: AsyncSession, staff_id: int) -> None:
    """Take an erased member of staff out of the list of whom a call for help reached."""
    for request in await session.scalars(select(HelpRequest)):
        if staff_id in request.notified_ids:
            request.notified_ids = [i for i in request.notified_ids if i != staff_id]
    await session.flush()
