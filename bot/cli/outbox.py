"""``vardag outbox``: what the sender gave up on, and sending it again.

No message text is shown: only what an admin needs to see what went wrong.
"""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.runner import reads, writes
from bot.config import ConfigError
from bot.context import Services
from bot.i18n import PlainTexts
from bot.rules.localtime import local_minute
from storage.models import OutboxStatus, Person
from storage.repos import outbox as outbox_repo

outbox_app = typer.Typer(
    no_args_is_help=True, add_completion=False, help="Messages that could not be sent."
)
SHOWN = 200


@outbox_app.command("list")
@reads
async def outbox_list(services: Services, session: AsyncSession, t: PlainTexts) -> list[str]:
    """The dead letters, newest first, and how many messages are in each state."""
    counts = await outbox_repo.counts_by_status(session)
    lines = [
        t(
            "outbox.counts",
            **{status.value: counts.get(status, 0) for status in OutboxStatus},
        )
    ]
    dead = await outbox_repo.dead_letters(session, SHOWN)
    if not dead:
        return [*lines, t("outbox.no_dead")]
    for row in dead:
        person = await session.get(Person, row.person_id) if row.person_id else None
        lines.append(
            t(
                "outbox.dead_line",
                id=row.id,
                kind=row.kind,
                who=person.display_name if person else "—",
                attempts=row.attempts,
                when=local_minute(row.created_at, services.zone),
                error=row.last_error or "—",
            )
        )
    return [*lines, t("outbox.retry_hint")]


@outbox_app.command("retry")
@writes
async def outbox_retry(
    services: Services,
    session: AsyncSession,
    t: PlainTexts,
    ids: Annotated[list[int] | None, typer.Argument(help="Dead letters to send again")] = None,
    all_dead: Annotated[bool, typer.Option("--all", help="Every dead letter")] = False,
) -> list[str]:
    """Send dead letters again, from the first attempt (one no longer useful is dropped)."""
    if not ids and not all_dead:
        raise ConfigError(t("outbox.name_them"))
    count = await outbox_repo.retry_dead(session, None if all_dead else ids, services.now())
    return [t("outbox.retried", count=count)]
