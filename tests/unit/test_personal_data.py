"""``vardag export`` gives a person everything Vardag holds about them; ``vardag erase``
deletes it all, so that afterwards no table names them, while the audit trail survives
without their id."""

from __future__ import annotations

import json
from datetime import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Column, select

from bot.context import Services
from bot.i18n import Texts
from bot.services.day import checkins, escalation, reminders
from bot.services.messages import relay
from bot.services.messages.staff_messages import Source, to_coworker
from bot.services.people import invites
from bot.services.planning import plans as planning
from bot.services.safety_net import first_list
from bot.views import relay as relay_views
from bot.views.checkins import ANSWER_FACTOR
from storage.base import Base
from storage.models import (
    AuditEntry,
    ContactPersons,
    ConversationState,
    DayPlan,
    DutyShift,
    Group,
    InboxUpdate,
    JoinAttempt,
    Message,
    OutboxMessage,
    Person,
    PlanStatus,
    Recurrence,
    Role,
    TaskStatus,
    TaskTemplate,
)
from storage.repos import people
from tests.conftest import Database
from tests.unit.test_cli_org import Vardag

KIM_CHAT, ANNA_CHAT, BO_CHAT, CIA_CHAT, LO_CHAT = 1001, 2001, 2002, 2003, 1002
PERSON_COLUMNS = {"person_id", "coworker_id", "staff_id", "actor_id", "subject_id"}


@pytest.fixture
def vardag(database: Database, monkeypatch: pytest.MonkeyPatch) -> Vardag:
    return Vardag(database, monkeypatch)


async def a_history(services: Services) -> dict[str, int]:
    """Rutt 1: Anna and Bo, on duty today, are the contact persons of Kim and Lo; Cia
    (staff) wrote the catalogue. Kim came by invite and has a day behind her: a plan
    with a timed task and its reminder, a check-in, messages both ways, a call for help,
    a recurrence, a failed join attempt."""
    now, today = services.now(), services.today()
    async with services.sessions.begin() as session:
        group = Group(name="Rutt 1", created_at=now)
        session.add(group)
        await session.flush()
        made = {}
        for name, chat in (("Anna", ANNA_CHAT), ("Bo", BO_CHAT), ("Cia", CIA_CHAT)):
            made[name] = await people.add_person(
                session, name=name, role=Role.SUPPORT, now=now, group=group, telegram_user_id=chat
            )
            session.add(
                DutyShift(
                    person_id=made[name].id,
                    weekday=today.weekday(),
                    start_time=time(5, 0),
                    end_time=time(16, 0),
                )
            )
        kim = (
            await invites.create_invite(
                services, session, role=Role.COWORKER, name="Kim", group_name="Rutt 1"
            )
        ).person
        kim.telegram_user_id = KIM_CHAT
        lo = await people.add_person(
            session, name="Lo", role=Role.COWORKER, now=now, group=group, telegram_user_id=LO_CHAT
        )
        anna, bo, cia = made["Anna"], made["Bo"], made["Cia"]
        for coworker in (kim, lo):
            session.add(
                ContactPersons(coworker_id=coworker.id, primary_id=anna.id, secondary_id=bo.id)
            )
        coffee = TaskTemplate(title="Koka kaffe", created_by_id=cia.id, created_at=now)
        post = TaskTemplate(title="Hämta posten", created_by_id=cia.id, created_at=now)
        session.add_all([coffee, post])
        await session.flush()
        session.add(
            Recurrence(
                template_id=coffee.id,
                coworker_id=kim.id,
                rrule="FREQ=WEEKLY;BYDAY=TU",
                starts_on=today,
                created_by_id=cia.id,
            )
        )
        task = await planning.add_task(
            services, session, coworker=kim, template=coffee, day=today, at=time(10, 0)
        )
        task.steps_done = [1]
        put_off = await planning.add_task(
            services, session, coworker=kim, template=post, day=today, added_by=cia
        )
        put_off.status, put_off.not_today_reason = TaskStatus.NOT_TODAY, "tired"
        plan = await session.get_one(DayPlan, task.day_plan_id)
        plan.status, plan.sent_at, plan.approved_by_id = PlanStatus.SENT, now, cia.id
        # Lo's day, planned by Cia: must stay.
        await planning.add_task(services, session, coworker=lo, template=post, day=today)
        await checkins.queue_morning_question(services, session, kim, today, now)
        session.add(JoinAttempt(telegram_user_id=KIM_CHAT, attempted_at=now))
        # What Kim wrote, still in the inbox for a day, and a conversation going on.
        session.add(
            InboxUpdate(update_id=7, lane=KIM_CHAT, payload={}, received_at=now, processed_at=now)
        )
        state = ConversationState(chat_id=KIM_CHAT, user_id=KIM_CHAT, state=b"", updated_at=now)
        session.add(state)
        ids = {"Kim": kim.id, "Lo": lo.id, "Anna": anna.id, "Bo": bo.id, "Cia": cia.id}
    async with services.sessions.begin() as session:
        kim = await session.get_one(Person, ids["Kim"])
        amber = today.toordinal() * ANSWER_FACTOR + 1
        await checkins.answer(
            services, session, kim, checkins.MORNING, amber, from_the_question=True
        )
        relayed = await relay.from_coworker(
            services,
            session,
            kim,
            kind="text",
            body="Kaffet är slut",
            chat_id=KIM_CHAT,
            message_id=77,
        )
        anna = await session.get_one(Person, ids["Anna"])
        await to_coworker(
            services,
            session,
            anna,
            kim,
            Source(kind="text", body="Jag köper mer", chat_id=ANNA_CHAT, message_id=88),
            label=relay_views.answer_label(Texts(kim.language), anna),
            reply_to=relayed.message,
        )
        await escalation.start(services, session, kim, reason=escalation.HELP)
    assert await reminders.create_missing(services) == 1
    return ids


async def export(vardag: Vardag, who: str, tmp_path: Path) -> dict[str, Any]:
    out = tmp_path / f"{who}.json"
    assert await vardag("export", who, "--out", str(out)) == (
        f"Everything Vardag holds about {who} is in {out}.\n"
    )
    assert (out.stat().st_mode & 0o777) == 0o600
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return data


async def test_the_export_holds_every_kind_of_data(
    vardag: Vardag, services: Services, tmp_path: Path
) -> None:
    ids = await a_history(services)
    today = services.today().isoformat()
    data = await export(vardag, "Kim", tmp_path)

    assert data["person"]["id"] == ids["Kim"]
    assert data["person"]["display_name"] == "Kim"
    assert data["person"]["telegram_user_id"] == KIM_CHAT
    assert data["person"]["role"] == "coworker"
    assert data["group"] == "Rutt 1"
    assert data["contact_persons"] == {"primary": "Anna", "secondary": "Bo"}
    [plan] = data["day_plans"]
    assert (plan["day"], plan["status"], plan["approved_by"]) == (today, "sent", "Cia")
    assert [
        (t["title"], t["status"], t["time_of_day"], t["steps_done"], t["not_today_reason"])
        for t in plan["tasks"]
    ] == [
        ("Koka kaffe", "open", "10:00:00", [1], None),
        ("Hämta posten", "not_today", None, [], "tired"),
    ]
    assert [(c["day"], c["kind"], c["value"]) for c in data["check_ins"]] == [
        (today, "morning", "amber")
    ]
    assert [
        (m["direction"], m["kind"], m["body"], m["source_chat_id"], m["source_message_id"])
        for m in data["messages"]
    ] == [
        ("from_coworker", "text", "Kaffet är slut", KIM_CHAT, 77),
        ("to_coworker", "text", "Jag köper mer", ANNA_CHAT, 88),
    ]
    assert data["messages"][1]["staff"] == "Anna"
    assert [(h["reason"], h["steps"]) for h in data["help_requests"]] == [
        ("help", 1)
    ]  # Anna was told
    assert [(r["kind"], r["status"]) for r in data["reminders"]] == [("due", "pending")]
    assert [r["rrule"] for r in data["recurrences"]] == ["FREQ=WEEKLY;BYDAY=TU"]
    [invite] = data["invites"]
    assert invite["role"] == "coworker" and "code_hash" not in invite
    kinds = [o["kind"] for o in data["outbox"]]
    assert {"checkin", "answer_label", "answer_copy"} <= set(kinds)
    assert all(isinstance(o["payload"], dict) for o in data["outbox"])
    actions = [a["action"] for a in data["audit"]]
    assert actions[0] == "invite.create" and "help.help" in actions
    assert all(a["created_at"].startswith(today) for a in data["audit"])

    async with services.sessions() as session:
        last = (await session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()))).first()
    assert last is not None
    assert (last.actor_id, last.subject_id, last.action) == (None, ids["Kim"], "person.export")

    stdout = json.loads(await vardag("export", f"#{ids['Kim']}"))
    assert stdout["person"] == data["person"]
    assert await vardag.refused("export", "Kim", "--out", str(tmp_path / "Kim.json")) == (
        f"{tmp_path / 'Kim.json'} exists already. Choose a new file."
    )


async def rows_naming(services: Services, person_id: int, telegram_id: int) -> list[str]:
    """Every (table.column) that still holds the person's id or Telegram id."""
    found = []
    async with services.sessions() as session:
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                value = _what_names(column, person_id, telegram_id)
                if value is None:
                    continue
                count = len((await session.execute(select(column).where(column == value))).all())
                if count:
                    found.append(f"{table.name}.{column.name}")
    return found


def _what_names(column: Column[Any], person_id: int, telegram_id: int) -> int | None:
    if column.table.name == "persons" and column.name == "id":
        return person_id
    if column.name == "telegram_user_id":
        return telegram_id
    if column.name in PERSON_COLUMNS or any(
        fk.column.table.name == "persons" for fk in column.foreign_keys
    ):
        return person_id
    return None


async def counts(services: Services) -> dict[str, int]:
    async with services.sessions() as session:
        return {
            table.name: len((await session.execute(select(table))).all())
            for table in Base.metadata.sorted_tables
        }


async def test_erase_asks_first_then_deletes_everything(vardag: Vardag, services: Services) -> None:
    ids = await a_history(services)
    kim = ids["Kim"]
    before = await counts(services)
    assert await rows_naming(services, kim, KIM_CHAT)  # the check finds what is there

    refused = await vardag.refused("erase", "Kim")
    assert refused.startswith(f"This deletes Kim (#{kim}) and all their data for good: ")
    assert refused.endswith(f'To do it: vardag erase "#{kim}" --yes')
    assert await counts(services) == before

    assert (
        await vardag("erase", "Kim", "--yes") == f"Kim (#{kim}) and all their data are deleted.\n"
    )
    assert await rows_naming(services, kim, KIM_CHAT) == []
    async with services.sessions() as session:
        outbox = list(await session.scalars(select(OutboxMessage)))
        audit = list(await session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
        lo_days = list(await session.scalars(select(DayPlan)))
        templates = list(await session.scalars(select(TaskTemplate)))
        messages = list(await session.scalars(select(Message)))
        inbox = list(await session.scalars(select(InboxUpdate)))
        states = list(await session.scalars(select(ConversationState)))
    assert inbox == [] and states == []
    # What went to Anna about Kim (the relay, the call for help) went with her.
    assert [o for o in outbox if o.chat_id in (KIM_CHAT, ANNA_CHAT)] == []
    assert messages == []
    assert [p.coworker_id for p in lo_days] == [ids["Lo"]]
    assert len(templates) == 2 and {t.created_by_id for t in templates} == {ids["Cia"]}
    pseudonymised = [a for a in audit if a.detail == f"erased person #{kim}"]
    assert {a.action for a in pseudonymised} >= {"invite.create", "help.help"}
    assert all(a.actor_id is None and a.subject_id is None for a in pseudonymised)
    assert (audit[-1].action, audit[-1].subject_id, audit[-1].detail) == (
        "person.erase",
        None,
        f"#{kim}",
    )
    assert await vardag.refused("export", "Kim") == (
        "Nobody is called Kim. See everyone with: vardag people"
    )


async def test_a_contact_person_is_not_erased(vardag: Vardag, services: Services) -> None:
    ids = await a_history(services)
    before = await counts(services)
    for how in ((), ("--yes",)):
        assert await vardag.refused("erase", "Anna", *how) == (
            f"Anna (#{ids['Anna']}) is still the contact person of Kim (#{ids['Kim']}), "
            f"Lo (#{ids['Lo']}). Choose others first with: vardag contacts set"
        )
    assert await counts(services) == before


async def test_erasing_staff_keeps_what_they_made(vardag: Vardag, services: Services) -> None:
    ids = await a_history(services)
    cia = ids["Cia"]
    assert (
        await vardag("erase", "Cia", "--yes") == f"Cia (#{cia}) and all their data are deleted.\n"
    )
    assert await rows_naming(services, cia, CIA_CHAT) == []
    async with services.sessions() as session:
        templates = list(await session.scalars(select(TaskTemplate)))
        plans = list(await session.scalars(select(DayPlan)))
        recurrences = list(await session.scalars(select(Recurrence)))
    assert sorted(t.title for t in templates) == ["Hämta posten", "Koka kaffe"]
    assert all(t.created_by_id is None for t in templates)
    assert len(plans) == 2 and all(p.approved_by_id is None for p in plans)
    assert [r.created_by_id for r in recurrences] == [None]
    assert sum(len(p.tasks) for p in plans) == 3


async def test_erasure_takes_the_promises_and_the_notes_about_them(
    vardag: Vardag, services: Services
) -> None:
    ids = await a_history(services)
    kim = ids["Kim"]
    async with services.sessions.begin() as session:
        coworker = await session.get_one(Person, kim)
        told = await first_list.joined(services, session, coworker)
        await first_list.promise_first_list(services, session, coworker)
    assert told  # the contact persons were told Kim joined, naming her
    exported = json.loads(await vardag("export", f"#{kim}"))
    assert [p["kind"] for p in exported["promises"]] == ["first_list"]
    await vardag("erase", "Kim", "--yes")
    assert await rows_naming(services, kim, KIM_CHAT) == []
    async with services.sessions() as session:
        keys = list(await session.scalars(select(OutboxMessage.idempotency_key)))
    assert [key for key in keys if key.startswith(f"joined:{kim}:")] == []
