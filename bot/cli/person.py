"""``vardag quiet``: a co-worker's quiet hours, set by staff on the command line."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.org import _run
from bot.i18n import PlainTexts
from bot.services.context import Services
from bot.services.people import organisation as org
from bot.services.people import preferences, rota


def quiet(
    person: Annotated[str, typer.Argument(help="Co-worker's name or #id")],
    start: Annotated[
        str | None, typer.Option("--from", help="Quiet from, local time, e.g. 21:00")
    ] = None,
    end: Annotated[str | None, typer.Option("--to", help="Until, local time, e.g. 07:00")] = None,
) -> None:
    """Show a co-worker's quiet hours (no reminders, summaries or previews), or set them."""

    async def work(services: Services, session: AsyncSession, t: PlainTexts) -> list[str]:
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

    _run(work)
