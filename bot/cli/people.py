"""``vardag people|activate|deactivate|quiet``: everyone, their access, and a co-worker's
quiet hours."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.runner import reads, writes, writes_when
from bot.context import Services
from bot.i18n import PlainTexts
from bot.services.people import everyone, preferences, rota
from bot.services.people import organisation as org

Someone = Annotated[str, typer.Argument(help="Name or #id")]


@reads
async def people(services: Services, session: AsyncSession, t: PlainTexts) -> list[str]:
    """Everyone: id, name, role, group, joined, reachable."""
    rows = await everyone.list_people(services, session)
    yes, no = t("org.yes"), t("org.no")
    return [
        t(
            "org.people_line",
            id=row.person.id,
            name=row.person.display_name,
            role=t(f"role.{row.person.role.value}"),
            groups=", ".join(g.name for g in row.groups) or "–",
            joined=yes if row.joined else no,
            reachable=yes if row.person.active and not row.person.unreachable else no,
        )
        for row in rows
    ] or [t("org.no_people")]


@writes
async def deactivate(
    services: Services, session: AsyncSession, t: PlainTexts, person: Someone
) -> list[str]:
    """Deactivate a person: the bot answers them only with its one polite line."""
    found = await everyone.set_active(services, session, person, False)
    return [t("org.deactivated", name=found.display_name)]


@writes
async def activate(
    services: Services, session: AsyncSession, t: PlainTexts, person: Someone
) -> list[str]:
    """Give a deactivated person their access back."""
    found = await everyone.set_active(services, session, person, True)
    return [t("org.activated", name=found.display_name)]


@writes_when("start", "end")
async def quiet(
    services: Services,
    session: AsyncSession,
    t: PlainTexts,
    person: Annotated[str, typer.Argument(help="Co-worker's name or #id")],
    start: Annotated[
        str | None, typer.Option("--from", help="Quiet from, local time, e.g. 21:00")
    ] = None,
    end: Annotated[str | None, typer.Option("--to", help="Until, local time, e.g. 07:00")] = None,
) -> list[str]:
    """Show a co-worker's quiet hours (no reminders, summaries or previews), or set them."""
    found = await org.find_coworker(session, person)
    if start is not None or end is not None:
        begins = rota.parse_clock(start) if start is not None else found.quiet_start
        ends = rota.parse_clock(end) if end is not None else found.quiet_end
        await preferences.set_quiet_hours(services, session, found, begins, ends, actor=None)
    return [
        t(
            "quiet.shown",
            name=found.display_name,
            start=f"{found.quiet_start:%H:%M}",
            end=f"{found.quiet_end:%H:%M}",
        )
    ]
