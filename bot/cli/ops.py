"""``vardag run|doctor|migrate|audit|backup``: for the people running Vardag."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import date, time
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.runner import load, reads
from bot.config import ConfigError
from bot.context import Services
from bot.i18n import PlainTexts
from bot.rules.localtime import local_minute, local_moment
from bot.runtime.runner import migrate as migrate_database
from bot.runtime.runner import run_until_stopped
from bot.services.people.organisation import find_person
from storage.repos import audit as audit_repo
from storage.repos import people as people_repo


def run(
    webhook: Annotated[
        bool, typer.Option("--webhook", help="Take updates on a webhook instead of polling")
    ] = False,
) -> None:
    """Run the bot against Telegram (long polling, or a webhook with --webhook)."""
    settings = load()
    token = settings.require_token()
    if webhook:
        settings.require_webhook()
    asyncio.run(run_until_stopped(settings, token, use_webhook=webhook))


def doctor(
    webhook: Annotated[bool, typer.Option("--webhook", help="Check for webhook mode")] = False,
) -> None:
    """Check the settings, the database, the token and the webhook; say what is wrong."""
    from bot.runtime.doctor import examine

    settings = load()
    checks = asyncio.run(examine(settings, webhook=webhook))
    for check in checks:
        typer.echo(("✓ " if check.ok else "✗ ") + check.line)
    if not all(check.ok for check in checks):
        raise typer.Exit(1)


def migrate() -> None:
    """Bring the database to the newest schema."""
    settings = load()
    asyncio.run(migrate_database(settings))
    typer.echo(PlainTexts(settings.language)("cli.migrated"))


@reads
async def audit(
    services: Services,
    session: AsyncSession,
    t: PlainTexts,
    person: Annotated[str | None, typer.Option(help="Only entries about this person")] = None,
    since: Annotated[str | None, typer.Option(help="From this date (YYYY-MM-DD)")] = None,
) -> list[str]:
    """Who saw or changed whose data, oldest first."""
    try:
        first_day = date.fromisoformat(since) if since else None
    except ValueError:
        raise ConfigError(t("ops.bad_date", date=since)) from None
    subject = await find_person(session, person) if person else None
    moment = local_moment(first_day, time(0), services.zone) if first_day else None
    rows = await audit_repo.entries(
        session, subject_id=subject.id if subject else None, since=moment
    )
    named = {i for row in rows for i in (row.actor_id, row.subject_id) if i is not None}
    names = await people_repo.display_names(session, list(named))

    def name(person_id: int) -> str:
        return names.get(person_id, f"#{person_id}")

    lines = []
    for row in rows:
        when = local_minute(row.created_at, services.zone)
        actor = t("ops.command_line") if row.actor_id is None else name(row.actor_id)
        about = "—" if row.subject_id is None else name(row.subject_id)
        detail = f" ({row.detail})" if row.detail else ""
        lines.append(f"{when} {actor}: {row.action} {about}{detail}")
    return lines or [t("ops.no_audit")]


def backup(target: Annotated[Path, typer.Argument(help="Where to write the copy")]) -> None:
    """A consistent copy of the SQLite database while Vardag runs (PostgreSQL: pg_dump)."""
    settings = load()
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
