"""Small builders the end-to-end tests share."""

from __future__ import annotations

import asyncio
from datetime import date

from sqlalchemy import select

from bot.context import Services
from bot.sandbox.client import SandboxClient, SandboxMessage
from bot.services.planning import plans as planning
from storage.models import (
    OutboxMessage,
    Person,
    PlannedTask,
    PlanStatus,
    Role,
    TaskTemplate,
    TemplateStep,
)
from storage.repos import people as people_repo


async def coworker_with_plan(
    services: Services,
    *,
    name: str,
    telegram_id: int,
    day: date,
    titles: tuple[str, ...] = ("Vattna blommorna",),
) -> tuple[Person, list[PlannedTask]]:
    """A joined co-worker with a plan for ``day``; the tasks are familiar ones."""
    async with services.sessions.begin() as session:
        person = await people_repo.add_person(
            session,
            name=name,
            role=Role.COWORKER,
            now=services.now(),
            telegram_user_id=telegram_id,
        )
        tasks = []
        for title in titles:
            template = TaskTemplate(
                title=title,
                created_at=services.now(),
                expected_minutes=20,
                steps=[TemplateStep(position=1, text="Gör det.")],
                attachments=[],
            )
            session.add(template)
            await session.flush()
            task = await planning.add_task(
                services, session, coworker=person, template=template, day=day
            )
            task.first_time = False
            tasks.append(task)
        # Approved, so the clock's safety-net drafting leaves the list as made here.
        tasks[0].plan.status = PlanStatus.APPROVED
    return person, tasks


async def new_bot_message(
    people: SandboxClient, telegram_id: int, known: set[int], starts_with: str = ""
) -> SandboxMessage:
    """Wait for a bot message in the chat that is not among ``known`` message ids."""
    return await people.wait_for(
        telegram_id,
        lambda m: m.from_bot and m.message_id not in known and m.text.startswith(starts_with),
    )


async def seen(people: SandboxClient, telegram_id: int) -> set[int]:
    return {m.message_id for m in await people.messages(telegram_id)}


async def open_today(people: SandboxClient, telegram_id: int) -> SandboxMessage:
    """Ask for today's list with /today, as the co-worker would."""
    known = await seen(people, telegram_id)
    await people.send_text(telegram_id, "/today")
    return await new_bot_message(people, telegram_id, known, "God morgon")


async def sent_and_recorded(services: Services, chat_id: int, message_id: int) -> None:
    """Wait until the sender has recorded that it sent ``message_id`` to ``chat_id``.

    A person sees a message a moment before the sender writes down its id; a reply in
    that moment could not yet be matched (a real person is never that quick)."""
    async with asyncio.timeout(10):
        while True:
            async with services.sessions() as session:
                found = await session.scalar(
                    select(OutboxMessage.id).where(
                        OutboxMessage.chat_id == chat_id,
                        OutboxMessage.telegram_message_id == message_id,
                    )
                )
            if found is not None:
                return
            await asyncio.sleep(0.05)
