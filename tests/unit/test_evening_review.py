"""The evening review goes once to the staff member responsible for each co-worker (the
primary contact unless away or not on Telegram, then the secondary, then the group's
staff), and "approve all" only to those with more than one draft."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from bot.context import Services
from bot.services.planning import evening_review, review
from bot.services.planning import plans as planning
from storage.models import (
    Absence,
    ContactPersons,
    DayPlan,
    Group,
    OutboxMessage,
    Person,
    PlanStatus,
    Role,
    TaskTemplate,
)
from storage.repos import people

WEDNESDAY = date(2026, 11, 25)


async def seed(services: Services) -> dict[str, Person]:
    """Anna is primary for Kim and Sara, Bo for Lo; Cia has no Telegram and is primary
    for Max; Ulf has no contact persons. Everyone has one task on Wednesday."""
    async with services.sessions.begin() as session:
        group = Group(name="Rutt 1", created_at=services.now())
        session.add(group)
        await session.flush()
        made: dict[str, Person] = {}
        for number, (name, role) in enumerate(
            [
                ("Anna", Role.SUPPORT),
                ("Bo", Role.SUPPORT),
                ("Cia", Role.SUPPORT),
                ("Kim", Role.COWORKER),
                ("Sara", Role.COWORKER),
                ("Lo", Role.COWORKER),
                ("Max", Role.COWORKER),
                ("Ulf", Role.COWORKER),
            ]
        ):
            made[name] = await people.add_person(
                session,
                name=name,
                role=role,
                now=services.now(),
                group=group,
                telegram_user_id=None if name == "Cia" else 7000 + number,
            )
        template = TaskTemplate(title="Vattna blommorna", created_at=services.now())
        session.add(template)
        await session.flush()
        for coworker, primary, secondary in (
            ("Kim", "Anna", "Bo"),
            ("Sara", "Anna", "Bo"),
            ("Lo", "Bo", "Anna"),
            ("Max", "Cia", "Anna"),
        ):
            session.add(
                ContactPersons(
                    coworker_id=made[coworker].id,
                    primary_id=made[primary].id,
                    secondary_id=made[secondary].id,
                )
            )
        for name in ("Kim", "Sara", "Lo", "Max", "Ulf"):
            await planning.add_task(
                services, session, coworker=made[name], template=template, day=WEDNESDAY
            )
    return made


async def outbox(services: Services) -> list[tuple[str, int, str]]:
    async with services.sessions() as session:
        rows = await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        return [(r.idempotency_key, r.chat_id, r.payload["text"].splitlines()[0]) for r in rows]


async def test_each_coworker_s_list_goes_to_the_one_responsible_once(
    services: Services,
) -> None:
    made = await seed(services)
    anna, bo = made["Anna"], made["Bo"]
    assert await evening_review.send_reviews(services, WEDNESDAY) == 6
    assert await evening_review.send_reviews(services, WEDNESDAY) == 0
    kim, sara, lo = made["Kim"].id, made["Sara"].id, made["Lo"].id
    max_, ulf = made["Max"].id, made["Ulf"].id
    sent: dict[int | None, list[tuple[str, str]]] = {}
    for key, chat, first_line in await outbox(services):
        sent.setdefault(chat, []).append((key, first_line))
    # Max's primary (Cia) is not on Telegram: the secondary, Anna. Ulf has no contact
    # persons: the group's staff, Anna first. Nobody's list is reviewed by nobody.
    assert sent == {
        anna.telegram_user_id: [
            (f"review:{anna.id}:{kim}:2026-11-25", "<b>Kim</b>, onsdag 25 november (utkast)"),
            (f"review:{anna.id}:{max_}:2026-11-25", "<b>Max</b>, onsdag 25 november (utkast)"),
            (f"review:{anna.id}:{sara}:2026-11-25", "<b>Sara</b>, onsdag 25 november (utkast)"),
            (f"review:{anna.id}:{ulf}:2026-11-25", "<b>Ulf</b>, onsdag 25 november (utkast)"),
            (
                f"review-all:{anna.id}:2026-11-25",
                "Det var alla 4 listor för onsdag 25 november. "
                "Ser de bra ut? Då kan du godkänna alla på en gång.",
            ),
        ],
        bo.telegram_user_id: [
            (f"review:{bo.id}:{lo}:2026-11-25", "<b>Lo</b>, onsdag 25 november (utkast)"),
        ],
    }


async def test_an_away_primary_s_reviews_go_to_the_secondary(services: Services) -> None:
    made = await seed(services)
    anna, bo = made["Anna"], made["Bo"]
    async with services.sessions.begin() as session:
        session.add(
            Absence(
                person_id=anna.id,
                starts_at=services.now() - timedelta(hours=1),
                ends_at=services.now() + timedelta(days=3),
            )
        )
    await evening_review.send_reviews(services, WEDNESDAY)
    to_anna = [key for key, chat, _ in await outbox(services) if chat == anna.telegram_user_id]
    assert to_anna == []
    kim, sara = made["Kim"].id, made["Sara"].id
    keys = [key for key, chat, _ in await outbox(services) if chat == bo.telegram_user_id]
    assert f"review:{bo.id}:{kim}:2026-11-25" in keys
    assert f"review:{bo.id}:{sara}:2026-11-25" in keys
    async with services.sessions.begin() as session:
        approved = await review.approve_all(services, session, bo, WEDNESDAY)
    assert {made["Kim"].id, made["Sara"].id} <= {p.coworker_id for p in approved}


async def test_approve_all_approves_only_the_primary_contacts_drafts(
    services: Services,
) -> None:
    made = await seed(services)
    async with services.sessions.begin() as session:
        approved = await review.approve_all(services, session, made["Anna"], WEDNESDAY)
    assert sorted(p.coworker_id for p in approved) == sorted([made["Kim"].id, made["Sara"].id])
    async with services.sessions() as session:
        plans = {p.coworker_id: p for p in await session.scalars(select(DayPlan))}
    assert {name: plans[made[name].id].status for name in ("Kim", "Sara", "Lo", "Max")} == {
        "Kim": PlanStatus.APPROVED,
        "Sara": PlanStatus.APPROVED,
        "Lo": PlanStatus.DRAFT,
        "Max": PlanStatus.DRAFT,
    }
    assert plans[made["Kim"].id].approved_by_id == made["Anna"].id


async def test_no_review_of_a_list_already_sent(services: Services) -> None:
    made = await seed(services)
    async with services.sessions.begin() as session:
        for plan in await session.scalars(select(DayPlan)):
            if plan.coworker_id == made["Kim"].id:
                plan.status = PlanStatus.SENT
    assert await evening_review.send_reviews(services, WEDNESDAY) == 5
    keys = [key for key, _, _ in await outbox(services)]
    assert not [key for key in keys if f":{made['Kim'].id}:" in key]
    assert f"review:{made['Anna'].id}:{made['Sara'].id}:2026-11-25" in keys
