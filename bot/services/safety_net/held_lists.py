"""Lists that wait for approval are never dropped in silence (two promise kinds).

``list_due`` — made for a draft of a group that waits for approval (in the evening
review, or at the latest when the morning job finds it held), due at the co-worker's
morning time, owned by the staff member responsible. Kept when the list is sent. If it
is still held then: the co-worker is told kindly that the list comes a little later,
the staff member responsible *now* (``bot/services/messages/responsible.py``) is told it waits,
with a button to review it, and ``list_approval`` is made.

``list_approval`` — due when the list can no longer be useful (the morning time plus
``VARDAG_MORNING_GRACE_HOURS``). Kept when a late approval lets the morning job send
the list (the approver is then told it was sent). Otherwise the co-worker is told that
no list comes today, and the staff member responsible now is told plainly that it was
not sent and that the co-worker knows. An approval after that point says the same to
the approver at once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from markupsafe import Markup, escape
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.i18n import Texts
from bot.outbox.queue import queue
from bot.services import promises
from bot.services.messages.responsible import responsible_now
from bot.services.promises import Result
from bot.telegram.rendered import Rendered
from bot.views.held import held_notice
from storage.models import DayPlan, Group, Person, PlanStatus, Promise

log = logging.getLogger(__name__)

LIST_DUE = "list_due"
LIST_APPROVAL = "list_approval"
HELD_KIND = "held_list"
NOTE_KIND = "safety_note"
WAIT_FOR_SENDING = timedelta(minutes=1)


def due_subject(plan: DayPlan) -> str:
    return f"{LIST_DUE}:{plan.coworker_id}:{plan.day.isoformat()}"


def approval_subject(plan: DayPlan) -> str:
    return f"{LIST_APPROVAL}:{plan.coworker_id}:{plan.day.isoformat()}"


def last_useful(services: Services, plan: DayPlan) -> datetime:
    return plan.deliver_at + timedelta(hours=services.settings.morning_grace_hours)


def too_late(services: Services, plan: DayPlan) -> bool:
    """Today's plan was not sent and can no longer be: its morning and grace are over."""
    return (
        plan.day == services.today()
        and plan.status is not PlanStatus.SENT
        and services.now() >= last_useful(services, plan)
    )


async def waits_for_approval(session: AsyncSession, coworker: Person) -> bool:
    if coworker.group_id is None:
        return False
    group = await session.get(Group, coworker.group_id)
    return group is not None and not group.send_unapproved_drafts


async def promise_list(
    services: Services, session: AsyncSession, plan: DayPlan, owner: Person | None
) -> None:
    """The list of a group that waits for approval is due at the morning time."""
    await promises.make(
        services,
        session,
        kind=LIST_DUE,
        subject=due_subject(plan),
        person_id=plan.coworker_id,
        owner_id=owner.id if owner else None,
        due_at=plan.deliver_at,
        data={"plan_id": plan.id},
    )


async def list_sent(services: Services, session: AsyncSession, plan: DayPlan) -> None:
    """The morning job sent the list: both promises are kept; after a late approval the
    approver is told it went out."""
    await promises.keep(services, session, due_subject(plan))
    if await promises.keep(services, session, approval_subject(plan)) and plan.approved_by_id:
        approver = await session.get(Person, plan.approved_by_id)
        coworker = await session.get_one(Person, plan.coworker_id)
        if approver is not None:
            t = Texts(approver.language)
            text = t("safety.sent_late", name=escape(coworker.display_name))
            await _tell(services, session, approver, f"sent-late:{plan.id}", Rendered(text), plan)


async def _tell(
    services: Services,
    session: AsyncSession,
    person: Person,
    key: str,
    rendered: Rendered,
    plan: DayPlan,
    kind: str = NOTE_KIND,
) -> bool:
    if person.telegram_user_id is None:
        return False
    await queue(
        services,
        session,
        person,
        rendered,
        key=f"{key}:{person.id}",
        kind=kind,
        useful_until=last_useful(services, plan) + timedelta(hours=12),
    )
    return True


async def _plan_and_coworker(
    session: AsyncSession, promise: Promise
) -> tuple[DayPlan, Person] | None:
    plan = await session.get(DayPlan, int(promise.data.get("plan_id", 0)))
    coworker = await session.get(Person, promise.person_id)
    if plan is None or coworker is None or not coworker.active or not plan.tasks:
        return None
    return plan, coworker


async def _on_list_due(services: Services, session: AsyncSession, promise: Promise) -> Result:
    found = await _plan_and_coworker(session, promise)
    if found is None:
        return Result("no_list_any_more")
    plan, coworker = found
    if plan.status is PlanStatus.SENT:
        return Result("sent", kept=True)
    now = services.now()
    if stale := _day_passed(services, plan):
        return stale
    if now >= last_useful(services, plan):
        # First looked at after the list could be sent (the bot was down): say it plainly.
        return await _on_list_approval(services, session, promise)
    held = plan.status is PlanStatus.DRAFT and await waits_for_approval(session, coworker)
    if not held:
        # The morning job sends it on its next tick; look again then.
        return Result("sending", retry_at=now + WAIT_FOR_SENDING)
    staff = await responsible_now(services, session, coworker, now)
    t = Texts(coworker.language)
    later = Rendered(t("safety.list_later", name=escape(coworker.display_name)))
    told_coworker = await _tell(services, session, coworker, f"later:{plan.id}", later, plan)
    told_staff = False
    if staff is not None:
        notice = held_notice(Texts(staff.language), coworker, plan)
        key = f"held:{coworker.id}:{plan.day.isoformat()}"
        told_staff = await _tell(services, session, staff, key, notice, plan, HELD_KIND)
    await promises.make(
        services,
        session,
        kind=LIST_APPROVAL,
        subject=approval_subject(plan),
        person_id=coworker.id,
        owner_id=staff.id if staff else promise.owner_id,
        due_at=last_useful(services, plan),
        data={"plan_id": plan.id},
    )
    if not told_staff:
        log.warning("list of co-worker %s waits for approval; no staff to tell", coworker.id)
    return Result(_outcome("told", told_coworker, staff if told_staff else None))


def _day_passed(services: Services, plan: DayPlan) -> Result | None:
    """The list's day is over and nobody could be told on it (the bot was down): a
    message now would speak of "today" on another day, so only the row and the log say it."""
    if services.today() <= plan.day:
        return None
    log.warning("list of co-worker %s for %s: its day passed unsent", plan.coworker_id, plan.day)
    return Result("day_passed_unsent")


def _outcome(what: str, told_coworker: bool, staff: Person | None) -> str:
    parts = [what, "coworker" if told_coworker else "not_coworker"]
    parts.append(f"staff:{staff.id}" if staff else "no_staff")
    return " ".join(parts)


async def tell_coworker_no_list(
    services: Services, session: AsyncSession, plan: DayPlan, coworker: Person
) -> bool:
    t = Texts(coworker.language)
    text = t("safety.no_list_today", name=escape(coworker.display_name))
    return await _tell(services, session, coworker, f"no-list:{plan.id}", Rendered(text), plan)


async def _on_list_approval(services: Services, session: AsyncSession, promise: Promise) -> Result:
    found = await _plan_and_coworker(session, promise)
    if found is None:
        return Result("no_list_any_more")
    plan, coworker = found
    if plan.status is PlanStatus.SENT:
        return Result("sent", kept=True)
    if stale := _day_passed(services, plan):
        return stale
    told_coworker = await tell_coworker_no_list(services, session, plan, coworker)
    staff = await responsible_now(services, session, coworker, services.now())
    told_staff = False
    if staff is not None:
        t = Texts(staff.language)
        text = Rendered(t("safety.list_not_sent", name=escape(coworker.display_name)))
        told_staff = await _tell(services, session, staff, f"not-sent:{plan.id}", text, plan)
    return Result(_outcome("not_sent", told_coworker, staff if told_staff else None))


async def approved_too_late(
    services: Services, session: AsyncSession, plan: DayPlan, approver: Person
) -> Markup:
    """An approval after the list could be sent: the co-worker is told (once) and the
    approver is given the line that says so."""
    coworker = await session.get_one(Person, plan.coworker_id)
    await tell_coworker_no_list(services, session, plan, coworker)
    promise = await promises.make(
        services,
        session,
        kind=LIST_APPROVAL,
        subject=approval_subject(plan),
        person_id=coworker.id,
        owner_id=approver.id,
        due_at=services.now(),
        data={"plan_id": plan.id},
    )
    if promise.closed_at is None:
        promise.outcome = _outcome("approved_too_late", True, approver)
        promise.closed_at = services.now()
    return Texts(approver.language)("safety.too_late", name=escape(coworker.display_name))


promises.register(LIST_DUE, _on_list_due)
promises.register(LIST_APPROVAL, _on_list_approval)
