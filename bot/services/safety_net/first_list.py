"""A new co-worker is not forgotten: who is told when they join, and their first list.

When a co-worker joins, their contact persons are told (or, without contact persons,
the group's staff on duty; when nobody is on duty, the one responsible now), with what
is still missing (contact persons, a plan). When, joining, they choose their morning
time and are told "Din lista kommer klockan 08:30", that is a promise (kind
``first_list``, subject ``first_list:<co-worker>``) due at that time on their first
working day. The evening review before that day asks the
staff member responsible to plan for the new person. Kept when a list is sent that day;
if there is no list, the co-worker is told it is not ready yet and who knows about it,
and the staff member responsible now is told there is no plan.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from markupsafe import Markup, escape
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.i18n import Texts
from bot.outbox.queue import queue
from bot.rules.localtime import local_moment
from bot.rules.working_days import is_day_off, next_working_day
from bot.services import promises
from bot.services.messages import routing
from bot.services.messages.responsible import may_be_told, responsible_now
from bot.services.promises import Result
from bot.services.safety_net import held_lists
from bot.telegram.rendered import Rendered
from storage.models import DayPlan, Person, PlanStatus, Promise, Role
from storage.repos import organisation as org_repo
from storage.repos import plans as plan_repo
from storage.repos import promises as promises_repo
from storage.repos import rota as rota_repo

FIRST_LIST = "first_list"
NOTE_KIND = "safety_note"
WAIT_FOR_SENDING = timedelta(minutes=1)
USEFUL = timedelta(hours=12)


def subject(coworker: Person) -> str:
    return f"{FIRST_LIST}:{coworker.id}"


def first_morning(services: Services, coworker: Person) -> tuple[date, datetime]:
    """The co-worker's first working day from now on, and their morning time on it."""
    today = services.today()
    day = today
    if is_day_off(day) or local_moment(day, coworker.morning_time, services.zone) <= services.now():
        day = next_working_day(today)
    return day, local_moment(day, coworker.morning_time, services.zone)


async def _queue(
    services: Services, session: AsyncSession, person: Person, key: str, text: Markup
) -> bool:
    if person.telegram_user_id is None:
        return False
    await queue(
        services,
        session,
        person,
        Rendered(text),
        key=f"{key}:{person.id}",
        kind=NOTE_KIND,
        useful_until=services.now() + USEFUL,
    )
    return True


async def staff_to_tell(
    services: Services, session: AsyncSession, coworker: Person
) -> list[Person]:
    """Both contact persons; without them the group's staff on duty now; when nobody is
    on duty, the one responsible now."""
    contacts = await org_repo.contacts_of(session, coworker.id)
    if contacts is not None:
        people = await rota_repo.persons(session, [contacts.primary_id, contacts.secondary_id])
        told = [p for p in people if may_be_told(p)]
        if told:
            return told
    if coworker.group_id is not None:
        staff = await rota_repo.staff_of(session, coworker.group_id)
        on_duty = await routing.on_duty_among(services, session, staff, services.now())
        told = [p for p in on_duty if may_be_told(p)]
        if told:
            return told
    fallback = await responsible_now(services, session, coworker, services.now())
    return [fallback] if fallback is not None else []


async def joined(services: Services, session: AsyncSession, coworker: Person) -> list[Person]:
    """A co-worker joined: tell their staff; whom it told."""
    if coworker.role is not Role.COWORKER:
        return []
    day, _ = first_morning(services, coworker)
    has_contacts = await org_repo.contacts_of(session, coworker.id) is not None
    plan = await plan_repo.plan_for(session, coworker.id, day)
    told = await staff_to_tell(services, session, coworker)
    name = escape(coworker.display_name)
    for staff in told:
        t = Texts(staff.language)
        lines = [t("safety.joined", name=name)]
        if not has_contacts:
            lines.append(t("safety.joined_no_contacts", name=name))
        lines.append(
            t("safety.first_list", day=t.day_in_words(day), time=f"{coworker.morning_time:%H:%M}")
        )
        if plan is None or not plan.tasks:
            lines.append(t("safety.plan_first", name=name))
        await _queue(services, session, staff, f"joined:{coworker.id}", Markup("\n").join(lines))
    return told


async def promise_first_list(
    services: Services, session: AsyncSession, coworker: Person
) -> Promise:
    """The co-worker, joining, was told when their list comes: that is a promise."""
    day, due_at = first_morning(services, coworker)
    return await promises.make(
        services,
        session,
        kind=FIRST_LIST,
        subject=subject(coworker),
        person_id=coworker.id,
        owner_id=None,
        due_at=due_at,
        data={"day": day.isoformat()},
    )


async def list_sent(services: Services, session: AsyncSession, plan: DayPlan) -> None:
    """The morning job sent a list: if it was the promised first one, it is kept."""
    promise = await promises_repo.by_subject(session, f"{FIRST_LIST}:{plan.coworker_id}")
    if promise is not None and promise.closed_at is None:
        await promises.keep(services, session, promise.subject)


async def morning_moved(services: Services, session: AsyncSession, coworker: Person) -> None:
    """The co-worker chose another morning time: the open first-list promise follows."""
    promise = await promises_repo.by_subject(session, subject(coworker))
    if promise is None or promise.closed_at is not None:
        return
    day, due_at = first_morning(services, coworker)
    promise.due_at, promise.data = due_at, {"day": day.isoformat()}


async def new_without_plan(session: AsyncSession, day: date) -> list[tuple[Person, Promise]]:
    """New co-workers whose first list is due on ``day`` and who have no plan with tasks."""
    found = []
    for promise in await promises_repo.open_of_kind(session, FIRST_LIST):
        if promise.data.get("day") != day.isoformat():
            continue
        coworker = await session.get(Person, promise.person_id)
        plan = await plan_repo.plan_for(session, promise.person_id, day)
        if coworker is not None and coworker.active and (plan is None or not plan.tasks):
            found.append((coworker, promise))
    return found


async def ask_to_plan(services: Services, session: AsyncSession, day: date) -> int:
    """In the evening review: ask the staff member responsible to plan for each new
    co-worker without a list for ``day``; the number asked now."""
    asked = 0
    for coworker, promise in await new_without_plan(session, day):
        staff = await responsible_now(services, session, coworker, services.now())
        if staff is None:
            continue
        t = Texts(staff.language)
        text = t("safety.plan_new", name=escape(coworker.display_name), day=t.day_in_words(day))
        if await _queue(services, session, staff, f"plan-new:{coworker.id}:{day}", text):
            promise.owner_id = staff.id
            asked += 1
    return asked


async def _on_first_list(services: Services, session: AsyncSession, promise: Promise) -> Result:
    coworker = await session.get(Person, promise.person_id)
    if coworker is None or not coworker.active:
        return Result("no_coworker_any_more")
    day = date.fromisoformat(str(promise.data.get("day")))
    if services.today() > day:
        # The day passed before the bot could act on it (it was down): the first
        # working morning from now is the one to keep, not a "good morning" days late.
        later, due_at = first_morning(services, coworker)
        promise.data = {"day": later.isoformat()}
        return Result(f"day_passed moved_to:{later.isoformat()}", retry_at=due_at)
    plan: DayPlan | None = await plan_repo.plan_for(session, coworker.id, day)
    if plan is not None and plan.status is PlanStatus.SENT:
        return Result("sent", kept=True)
    if plan is not None and plan.tasks:
        # A list that waits for approval has its own promise
        # (bot/services/safety_net/held_lists.py);
        # any other goes with the morning job's next tick.
        if await held_lists.waits_for_approval(session, coworker):
            return Result("left_to_list_due")
        if services.now() < held_lists.last_useful(services, plan):
            return Result("sending", retry_at=services.now() + WAIT_FOR_SENDING)
    staff = await responsible_now(services, session, coworker, services.now())
    t = Texts(coworker.language)
    name = escape(coworker.display_name)
    text = (
        t("safety.first_list_later", name=name, staff=escape(staff.display_name))
        if staff is not None
        else t("safety.first_list_later_nobody", name=name)
    )
    told_coworker = await _queue(services, session, coworker, f"first-later:{coworker.id}", text)
    told_staff = False
    if staff is not None:
        st = Texts(staff.language)
        told_staff = await _queue(
            services,
            session,
            staff,
            f"first-missing:{coworker.id}",
            st("safety.first_list_missing", name=name),
        )
        promise.owner_id = staff.id
    parts = ["no_list", "coworker" if told_coworker else "not_coworker"]
    parts.append(f"staff:{staff.id}" if staff is not None and told_staff else "no_staff")
    return Result(" ".join(parts))


promises.register(FIRST_LIST, _on_first_list)
