"""``vardag export`` and ``vardag erase``: a person's right to a copy of their data and
to have it erased."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.runner import reads, writes
from bot.context import Services
from bot.i18n import PlainTexts
from bot.services.errors import OrganisationError
from bot.services.people.organisation import find_person
from bot.services.privacy import personal_data

PRIVATE = 0o600


@reads
async def export(
    services: Services,
    session: AsyncSession,
    t: PlainTexts,
    person: Annotated[str, typer.Argument(help='A name or "#id" (see vardag people)')],
    out: Annotated[Path | None, typer.Option(help="Write to this new file (mode 0600)")] = None,
) -> list[str]:
    """Everything Vardag holds about one person, as JSON (subject access)."""
    found = await find_person(session, person)
    text = json.dumps(
        await personal_data.export(services, session, found), ensure_ascii=False, indent=2
    )
    if out is None:
        return [text]
    try:
        handle = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)
    except FileExistsError:
        raise OrganisationError("privacy.file_exists", path=str(out)) from None
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(text + "\n")
    out.chmod(PRIVATE)  # whatever the umask did
    return [t("privacy.exported", name=found.display_name, path=str(out))]


@writes
async def erase(
    services: Services,
    session: AsyncSession,
    t: PlainTexts,
    person: Annotated[str, typer.Argument(help='A name or "#id" (see vardag people)')],
    yes: Annotated[bool, typer.Option("--yes", help="Yes, delete it all; it cannot be undone")] = (
        False
    ),
) -> list[str]:
    """Delete one person and everything about them (right to erasure)."""
    found = await find_person(session, person)
    await personal_data.refuse_if_contact_person(session, found)
    if not yes:
        raise OrganisationError("privacy.confirm_erase", name=found.display_name, id=found.id)
    name = found.display_name
    erased = await personal_data.erase(services, session, found)
    return [t("privacy.erased", name=name, id=erased)]
