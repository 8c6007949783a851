"""The "I'm on it" press on a call for help: the call taken (or found taken), and what the
alert that was pressed should say now."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.services.day import escalation, help_alerts
from bot.telegram.rendered import Rendered
from storage.models import HelpRequest, Person


@dataclass(frozen=True)
class Acknowledged:
    coworker: Person
    took: bool  # this press took the call
    by: Person  # who has the call now
    alert: Rendered | None  # what the pressed alert says now, if it is one of ours


async def on_it(
    services: Services, session: AsyncSession, staff: Person, request_id: int
) -> Acknowledged | None:
    """``staff`` pressed "I'm on it"; None when the call is older than what is kept.
    Raises ``ReviewError`` when the call was not one ``staff`` was told about."""
    if await session.get(HelpRequest, request_id) is None:
        return None
    request, coworker, took = await escalation.acknowledge(services, session, staff, request_id)
    by = await session.get_one(Person, request.acknowledged_by_id)
    alert = await help_alerts.own_alert(session, request, staff, by, coworker)
    return Acknowledged(coworker, took, by, alert)
