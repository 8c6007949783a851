"""The catalogue file's optional ``heads_up_minutes``: read, checked, imported, exported."""

from __future__ import annotations

import pytest
import yaml
from sqlalchemy import select

from bot.context import Services
from bot.i18n import Texts
from bot.services.catalogue.export import export_catalogue
from bot.services.catalogue.importer import ImportResult, import_catalogue
from bot.services.catalogue.parse import CatalogueFileError, parse_catalogue
from storage.models import TaskTemplate

WITH_HEADS_UP = """\
tasks:
  - title: Ta emot leveransen
    minutes: 60
    heads_up_minutes: 15
  - title: Duka borden
    minutes: 20
"""


async def do_import(services: Services, text: str) -> ImportResult:
    specs = parse_catalogue(text)
    async with services.sessions.begin() as session:
        return await import_catalogue(services, session, specs, author=None)


async def heads_ups(services: Services) -> dict[str, int | None]:
    async with services.sessions() as session:
        templates = await session.scalars(select(TaskTemplate))
        return {t.title: t.heads_up_minutes for t in templates}


def test_the_field_is_optional() -> None:
    leverans, duka = parse_catalogue(WITH_HEADS_UP)
    assert (leverans.heads_up_minutes, duka.heads_up_minutes) == (15, None)


@pytest.mark.parametrize(
    ("value", "reason"),
    [("0", "range"), ("241", "range"), ("kvart", "whole_number"), ("true", "whole_number")],
)
def test_a_bad_value_is_refused_with_its_line(value: str, reason: str) -> None:
    text = WITH_HEADS_UP.replace("heads_up_minutes: 15", f"heads_up_minutes: {value}")
    with pytest.raises(CatalogueFileError) as caught:
        parse_catalogue(text)
    assert (caught.value.line, caught.value.field, caught.value.reason) == (
        4,
        "heads_up_minutes",
        reason,
    )
    assert "catalogue." not in caught.value.text(Texts("sv"))


async def test_imported_changed_and_exported(services: Services) -> None:
    assert await do_import(services, WITH_HEADS_UP) == ImportResult(2, 0, 0)
    assert await heads_ups(services) == {"Ta emot leveransen": 15, "Duka borden": None}

    async with services.sessions() as session:
        exported = await export_catalogue(session)
    first, second = yaml.safe_load(exported)["tasks"]
    assert (first["heads_up_minutes"], "heads_up_minutes" in second) == (15, False)
    assert await do_import(services, exported) == ImportResult(0, 0, 2)

    changed = WITH_HEADS_UP.replace("heads_up_minutes: 15", "heads_up_minutes: 30")
    assert await do_import(services, changed) == ImportResult(0, 1, 1)
    removed = WITH_HEADS_UP.replace("    heads_up_minutes: 15\n", "")
    assert await do_import(services, removed) == ImportResult(0, 1, 1)
    assert await heads_ups(services) == {"Ta emot leveransen": None, "Duka borden": None}
