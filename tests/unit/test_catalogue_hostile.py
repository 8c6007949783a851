"""Catalogue files that would crash a careless parser get one clear refusal line: a raw
control character, nesting thousands of levels deep, and a control character made by an
escape (a NUL, which PostgreSQL cannot store). Nothing is imported."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.context import Services
from bot.i18n import Texts
from bot.services.catalogue.importer import import_catalogue
from bot.services.catalogue.parse import CatalogueFileError, parse_catalogue
from storage.models import TaskTemplate

SV = Texts("sv")


def refusal(text: str) -> str:
    with pytest.raises(CatalogueFileError) as caught:
        parse_catalogue(text)
    return caught.value.text(SV)


def test_a_raw_control_character_is_refused() -> None:
    assert refusal("tasks:\n  - title: Duka\x01 borden\n").startswith(
        "Katalogen är inte inläst: det är inte giltig YAML (unacceptable character #x0001"
    )
    assert refusal("\x00tasks: []").startswith("Katalogen är inte inläst: det är inte giltig YAML")


def test_nesting_thousands_deep_is_refused() -> None:
    for depth in (2_000, 20_000):
        assert refusal("tasks: " + "[" * depth + "]" * depth) == (
            "Katalogen är inte inläst: filen är för djupt nästlad (listor eller fält i varandra)."
        )
    assert refusal("tasks:\n" + "".join("  " * n + "- \n" for n in range(2_000))).startswith(
        "Katalogen är inte inläst"
    )


@pytest.mark.parametrize("escape", ["\\0", "\\x07", "\\e", "\\x7f"])
def test_a_control_character_made_by_an_escape_is_refused(escape: str) -> None:
    text = f'tasks:\n  - title: Duka\n  - title: "Torka{escape}borden"\n'
    assert refusal(text) == (
        "Katalogen är inte inläst. Rad 3: texten har ett osynligt styrtecken "
        "(till exempel \\0). Ta bort det."
    )


def test_tabs_and_line_breaks_are_ordinary_text() -> None:
    (spec,) = parse_catalogue('tasks:\n  - title: "Duka\\tborden"\n    goal: "Rad 1\\nRad 2"\n')
    assert (spec.title, spec.goal) == ("Duka\tborden", "Rad 1\nRad 2")


async def test_nothing_is_imported_from_a_file_with_a_nul(services: Services) -> None:
    with pytest.raises(CatalogueFileError):
        async with services.sessions.begin() as session:
            specs = parse_catalogue('tasks:\n  - title: "A\\0B"\n')
            await import_catalogue(services, session, specs, author=None)
    async with services.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(TaskTemplate)) == 0
