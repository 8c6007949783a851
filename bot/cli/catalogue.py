"""``vardag import FILE`` and ``vardag export-catalogue``: the task catalogue as a YAML file.

A wrong file raises :class:`ConfigError` with one line from the catalogue (naming the line
in the file); ``vardag`` prints it and exits 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.runner import in_session, load
from bot.config import ConfigError
from bot.context import Services
from bot.i18n import PlainTexts
from bot.services.catalogue import export as catalogue_export
from bot.services.catalogue import importer as catalogue_import
from bot.services.catalogue import parse as catalogue_parse
from bot.services.catalogue.fileformat import TemplateSpec
from bot.services.catalogue.importer import ImportResult
from bot.services.catalogue.parse import CatalogueFileError


def _read(path: Path, t: PlainTexts) -> list[TemplateSpec]:
    """The file's tasks, checked before the database is opened; any fault is one line."""
    try:
        if not path.exists():
            raise ConfigError(t("catalogue.no_file", path=path))
        if path.is_file() and path.stat().st_size > catalogue_parse.MAX_BYTES:
            raise CatalogueFileError("too_big", limit="1 MB")
        data = path.read_bytes()
        return catalogue_parse.parse_catalogue(catalogue_parse.decode(data))
    except OSError:
        raise ConfigError(t("catalogue.unreadable", path=path)) from None
    except CatalogueFileError as exc:
        raise ConfigError(f"{path}: {exc.text(t)}") from None


def import_file(
    path: Annotated[Path, typer.Argument(help="A catalogue file (YAML), see docs/catalogue.md")],
) -> None:
    """Import a task catalogue: new titles are added, known titles are updated."""
    settings = load()
    t = PlainTexts(settings.language)
    specs = _read(path, t)  # before the database is opened

    async def work(services: Services, session: AsyncSession, _: PlainTexts) -> ImportResult:
        return await catalogue_import.import_catalogue(services, session, specs, author=None)

    typer.echo(in_session(work, writes=True, settings=settings).text(t))


def export_catalogue(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file instead of the screen"),
    ] = None,
) -> None:
    """Print the task catalogue (all active tasks) as YAML that `vardag import` reads."""
    settings = load()
    t = PlainTexts(settings.language)

    async def work(_: Services, session: AsyncSession, __: PlainTexts) -> str:
        return await catalogue_export.export_catalogue(session)

    text = in_session(work, writes=False, settings=settings)
    if output is None:
        typer.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        # The operating system's own words (there is no catalogue text for this yet).
        raise ConfigError(f"{output}: {exc.strerror or exc}") from None
    typer.echo(t("catalogue.exported", path=output))
