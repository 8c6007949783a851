"""``vardag audit`` and ``vardag backup``: for the people running Vardag."""

from __future__ import annotations

import sqlite3
from datetime import date, time
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.org import _run, _settings
from bot.config import ConfigError
from bot.i18n import PlainTexts
from bot.rules.localtime import local_moment
from bot.services.context import Services
from bot.services.people.organisation import find_person
from storage.models import Person
from storage.repos import audit as audit_repo


def audit(
    person: Annotated[str | None, typer.Option(help="Only entries about this person")] = None,
    since: Annotated[str | None, typer.Option(help="From this date (YYYY-MM-DD)")] = None,
) -> None:
    """Who saw or changed whose data, oldest first."""
    try:
        first_day = date.fromisoformat(since) if since else None
    except ValueError:
        raise ConfigError(PlainTexts(_settings().language)("ops.bad_date", date=since)) from None

    async def work(services: Services, session: AsyncSession, t: PlainTexts) -> list[str]:
        subject = await find_person(session, person) if person else None
        moment = local_moment(first_day, time(0), services.zone) if first_day else None
        rows = await audit_repo.entries(
            session, subject_id=subject.id if subject else None, since=moment
        )
        names: dict[int, str] = {}

        async def name(person_id: int | None) -> str:
            if person_id is None:
                return t("ops.command_line")
            if person_id not in names:
                found = await session.get(Person, person_id)
                names[person_id] = found.display_name if found else f"#{person_id}"
            return names[person_id]

        lines = []
        for row in rows:
            when = row.created_at.astimezone(services.zone).strftime("%Y-%m-%d %H:%M")
            about = await name(row.subject_id) if row.subject_id else "—"
            detail = f" ({row.detail})" if row.detail else ""
            lines.append(f"{when} {await name(row.actor_id)}: {row.action} {about}{detail}")
        return lines or [t("ops.no_audit")]

    _run(work)


def backup(target: Annotated[Path, typer.Argument(help="Where to write the copy")]) -> None:
    """A consistent copy of the SQLite database while Vardag runs (PostgreSQL: pg_dump)."""
    settings = _settings()
    t = PlainTexts(settings.language)
    url = make_url(settings.database_url)
    if url.get_backend_name() != "sqlite" or not url.database:
        raise ConfigError(t("ops.backup_postgres"))
    if target.exists():
        raise ConfigError(t("ops.backup_exists", path=str(target)))
    source_path = Path(url.database)
    if not source_path.is_file():  # a mistyped path must not give an empty "backup"
        raise ConfigError(t("ops.backup_no_source", path=str(source_path)))
    source = sqlite3.connect(f"{source_path.resolve().as_uri()}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        with copy:
            source.backup(copy)  # SQLite's online backup API: consistent while others write
    finally:
        copy.close()
        source.close()
    target.chmod(0o600)
    typer.echo(t("ops.backup_done", path=str(target)))
