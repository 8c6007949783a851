"""``vardag report``: figures for the people steering the work."""

from __future__ import annotations

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli_org import _run
from bot.i18n import Texts
from bot.services import continuity
from bot.services.context import Services
from bot.views.continuity import continuity_lines
from storage.repos import organisation as org_repo

report_app = typer.Typer(no_args_is_help=True, add_completion=False, help="Reports.")


@report_app.command("continuity")
def report_continuity() -> None:
    """Different staff each co-worker met in the last 14 days (goal: at most 2)."""

    async def work(services: Services, session: AsyncSession, t: Texts) -> list[str]:
        groups = await org_repo.all_groups(session)
        figures = await continuity.for_groups(services, session, groups, actor=None)
        return continuity_lines(t, figures, html=False)

    _run(work)
