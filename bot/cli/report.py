"""``vardag report``: figures for the people steering the work."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.runner import reads
from bot.context import Services
from bot.i18n import PlainTexts
from bot.services.errors import OrganisationError
from bot.services.people import continuity
from bot.views.continuity import continuity_lines
from bot.views.continuity_chart import continuity_chart
from storage.repos import organisation as org_repo

report_app = typer.Typer(no_args_is_help=True, add_completion=False, help="Reports.")

PRIVATE = 0o600  # the chart names co-workers


@report_app.command("continuity")
@reads
async def report_continuity(
    services: Services,
    session: AsyncSession,
    t: PlainTexts,
    png: Annotated[
        Path | None,
        typer.Option(
            "--png",
            help="Also write the chart as PNG (mode 0600); with several groups, "
            "one file each, the group's id added to the name (k.png: k-3.png)",
        ),
    ] = None,
) -> list[str]:
    """Different staff each co-worker met in the last 14 days (goal: at most 2)."""
    groups = await org_repo.all_groups(session)
    figures = await continuity.for_groups(services, session, groups, actor=None)
    lines = continuity_lines(t, figures, html=False)
    if png is None:
        return lines
    charted = [g for g in figures if g.figures]
    if not charted:
        return [*lines, "", t("report.no_chart")]
    lines.append("")
    for group in charted:
        path = png if len(charted) == 1 else png.with_stem(f"{png.stem}-{group.group.id}")
        data = await asyncio.to_thread(continuity_chart, t, group)
        _write_private(path, data)
        lines.append(t("report.chart_written", group=group.group.name, path=str(path)))
    return lines


def _write_private(path: Path, data: bytes) -> None:
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE)
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        path.chmod(PRIVATE)  # whatever the umask or an older file had
    except OSError as exc:
        raise OrganisationError(
            "report.chart_failed", path=str(path), error=exc.strerror or exc
        ) from None
