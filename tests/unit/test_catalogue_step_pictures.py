"""A step with its own picture in the catalogue file: read, stored, written back the same,
and a picture reference that is not a Telegram file id refused with its line."""

from __future__ import annotations

import pytest
import yaml

from bot.context import Services
from bot.i18n import Texts
from bot.services.catalogue.export import export_catalogue
from bot.services.catalogue.importer import ImportResult
from bot.services.catalogue.parse import CatalogueFileError, parse_catalogue
from tests.unit.test_catalogue_file import do_import, titles

PICTURE = "AgACAgIAAxkBAAIBStepPicture_1-x"
WITH_PICTURES = f"""\
tasks:
  - title: Vattna blommorna
    steps:
      - Hämta kannan.
      - text: Fyll kannan till strecket.
        photo: {PICTURE}
      - Vattna varje kruka.
"""


def refusal(text: str) -> str:
    with pytest.raises(CatalogueFileError) as caught:
        parse_catalogue(text)
    return caught.value.text(Texts("sv"))


def test_a_step_is_its_text_or_its_text_and_picture() -> None:
    (spec,) = parse_catalogue(WITH_PICTURES)
    steps = [step if isinstance(step, str) else (step.text, step.photo) for step in spec.steps]
    assert steps == [
        "Hämta kannan.",
        ("Fyll kannan till strecket.", PICTURE),
        "Vattna varje kruka.",
    ]


@pytest.mark.parametrize(
    ("bad", "line", "field"),
    [
        (f"photo: {PICTURE}", "photo: inte en bild", "photo"),
        (f"photo: {PICTURE}", "photo: https://example.org/kanna.jpg", "photo"),
        (f"photo: {PICTURE}", "photo: AgAC", "photo"),  # too short for a Telegram id
        (f"photo: {PICTURE}", "photo: ''", "photo"),
        (f"photo: {PICTURE}", f"bild: {PICTURE}", "bild"),
        ("text: Fyll kannan till strecket.\n        ", "", "text"),
    ],
)
def test_a_bad_step_picture_is_refused_with_its_line(bad: str, line: str, field: str) -> None:
    answer = refusal(WITH_PICTURES.replace(bad, line))
    assert answer.startswith("Katalogen är inte inläst. Rad ")
    assert f", {field}: " in answer


def test_the_refusal_of_a_bad_picture_says_what_is_wanted() -> None:
    assert refusal(WITH_PICTURES.replace(PICTURE, "kannan.jpg")) == (
        "Katalogen är inte inläst. Rad 6, photo: ska vara Telegrams id för en bild "
        "(bokstäver, siffror, - och _), så som den står i en fil från vardag export-catalogue."
    )


async def test_step_pictures_are_stored_and_written_back_the_same(services: Services) -> None:
    assert await do_import(services, WITH_PICTURES) == ImportResult(1, 0, 0)
    stored = (await titles(services))["Vattna blommorna"]
    assert [(s.text, s.photo_file_id) for s in stored.steps] == [
        ("Hämta kannan.", None),
        ("Fyll kannan till strecket.", PICTURE),
        ("Vattna varje kruka.", None),
    ]
    async with services.sessions() as session:
        exported = await export_catalogue(session)
    assert yaml.safe_load(exported)["tasks"][0]["steps"][1] == {
        "text": "Fyll kannan till strecket.",
        "photo": PICTURE,
    }
    assert parse_catalogue(exported) == parse_catalogue(WITH_PICTURES)
    assert await do_import(services, exported) == ImportResult(0, 0, 1)

    # Taking the picture away is a change; a bad picture anywhere changes nothing.
    plain = WITH_PICTURES.replace(
        f"text: Fyll kannan till strecket.\n        photo: {PICTURE}", "Fyll kannan till strecket."
    )
    assert await do_import(services, plain) == ImportResult(0, 1, 0)
    with pytest.raises(CatalogueFileError):
        await do_import(services, WITH_PICTURES.replace(PICTURE, "inte/ett/id"))
    stored = (await titles(services))["Vattna blommorna"]
    assert [s.photo_file_id for s in stored.steps] == [None, None, None]
