"""The task catalogue as a YAML file: every malformed file refused whole with its line,
import upserts by title in one transaction, export reads back unchanged, and the CLI."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import typer
import yaml
from sqlalchemy import func, select
from typer.testing import CliRunner

from bot.cli import catalogue as cli_catalogue
from bot.config import ConfigError
from bot.context import Services
from bot.i18n import Texts
from bot.services.catalogue.export import export_catalogue
from bot.services.catalogue.fileformat import TemplateSpec
from bot.services.catalogue.importer import ImportResult, import_catalogue
from bot.services.catalogue.parse import MAX_BYTES, CatalogueFileError, decode, parse_catalogue
from storage.models import AttachmentKind, AuditEntry, Role, TaskTemplate, TemplateStep
from storage.repos import people as people_repo
from tests.conftest import Database

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "catalogue-example.yaml"
SV, EN = Texts("sv"), Texts("en")

GOOD = """\
tasks:
  - title: Duka borden
    instructions: Lägg dukar på borden.
    goal: Gästerna ska trivas.
    steps:
      - Hämta dukarna.
      - Lägg en duk på varje bord.
    strain: lätt
    minutes: 20
  - title: Ta emot leveransen
    strain: heavy
    minutes: 60
    with_support: true
    support_part: Stödpersonen pratar med chauffören.
    attachments:
      - location: {latitude: 59.31712, longitude: 18.07205}
        caption: Lastkajen.
      - link: https://example.org/leverans
      - photo: AgACAgIAAxkBAAIBPhoto
      - document: BQACAgIAAxkBAAIBDoc
        caption: Följesedeln.
"""


def refused(text: str) -> CatalogueFileError:
    with pytest.raises(CatalogueFileError) as caught:
        parse_catalogue(text)
    error = caught.value
    for t in (SV, EN):  # every reason has its text in both catalogues
        assert "catalogue." not in error.text(t), error.text(t)
    return error


def task(*lines: str) -> str:
    """A file with one good task first, then a task made of ``lines`` (from line 4)."""
    body = "".join(f"    {line}\n" for line in lines[1:])
    return f"tasks:\n  - title: Först\n    minutes: 10\n  - {lines[0]}\n{body}"


# --- reading -------------------------------------------------------------------------------


def test_a_good_file_is_read_with_defaults_and_words_for_strain() -> None:
    first, second = parse_catalogue(GOOD)
    assert first == TemplateSpec(
        title="Duka borden",
        instructions="Lägg dukar på borden.",
        goal="Gästerna ska trivas.",
        steps=["Hämta dukarna.", "Lägg en duk på varje bord."],
        strain=1,
        minutes=20,
    )
    assert (second.strain, second.with_support, second.instructions) == (3, True, "")
    assert [type(a).__name__ for a in second.attachments] == [
        "LocationSpec",
        "LinkSpec",
        "PhotoSpec",
        "DocumentSpec",
    ]
    words = "tasks:\n" + "".join(
        f"  - {{title: T{n}, strain: {word}}}\n"
        for n, word in enumerate(["1", "medel", "Tung", "light", "medium", "lätt"])
    )
    assert [s.strain for s in parse_catalogue(words)] == [1, 2, 3, 1, 2, 1]


@pytest.mark.parametrize(
    ("text", "line", "field", "reason"),
    [
        ("tasks:\n  - title: [Duka\n    minutes: 20\n", 3, None, "syntax"),
        ("tasks:\n\tx: 1\n", 2, None, "syntax"),
        (task("title: Två", "minutes: tjugo"), 5, "minutes", "whole_number"),
        (task("title: Två", "minutes: 0"), 5, "minutes", "range"),
        (task("title: Två", "minutes: 12.5"), 5, "minutes", "whole_number"),
        (task("title: Två", "with_support: ja"), 5, "with_support", "yes_no"),
        (task("instructions: Utan titel", "goal: Inget"), 4, "title", "missing"),
        (task("title: Två", "", "strain: 4"), 6, "strain", "strain"),
        (task("title: Två", "strain: true"), 5, "strain", "strain"),
        (task("title: Två", "attachments:", "  - link: ftp://example.org"), 6, "link", "url"),
        (task("title: Två", "attachments:", "  - link: example.org"), 6, "link", "url"),
        (
            task("title: Två", "attachments:", "  - {photo: A, link: http://x.se}"),
            6,
            "attachments",
            "attachment",
        ),
        (task("title: Två", "attachments:", "  - picture: A"), 6, "attachments", "attachment"),
        (
            task("title: Två", "attachments:", "  - location: {latitude: 95, longitude: 1}"),
            6,
            "latitude",
            "range",
        ),
        (task("title: Två", "attachments:", "  - photo: A", "    size: 3"), 7, "size", "unknown"),
        (task("title: Två", "colour: röd"), 5, "colour", "unknown"),
        (task("title: Två", "steps:", "  - Ett", "  - 2"), 7, "steps", "text"),
        (task("title: Två", "steps:", "  - Ett", "  - '  '"), 7, "steps", "blank"),
        (task("title: Två", "steps: Ett"), 5, "steps", "list"),
        (task("title: " + "x" * 121), 4, "title", "too_long"),
        (task("title: Två", "steps: [" + ", ".join(["s"] * 21) + "]"), 5, "steps", "too_many"),
        (task("title: no"), 4, "title", "text"),
        (task("title: Två", "title: Tre"), 5, "title", "twice"),
        (task("title: först"), 4, "title", "same_title"),
        ("tasks:\n  - title: A\n  - Bara text\n", 3, "tasks", "mapping"),
        ("- title: Duka\n", 1, None, "top"),
        ("tasks: Duka\n", 1, "tasks", "list"),
        ("title: Duka\n", 1, None, "top"),
        ("tasks:\n  - title: A\n", None, None, None),  # the control: this one is fine
        ("tasks:\n  - &a {title: A}\n  - *a\n", 2, None, "alias"),
        ("tasks:\n  - title: A\nextra: 1\n", 3, "extra", "unknown"),
    ],
)
def test_a_malformed_file_names_the_line_and_field(
    text: str, line: int | None, field: str | None, reason: str | None
) -> None:
    if reason is None:
        assert len(parse_catalogue(text)) == 1
        return
    error = refused(text)
    assert (error.reason, error.line, error.field) == (reason, line, field)
    shown = error.text(SV)
    assert shown.startswith(f"Katalogen är inte inläst. Rad {line}")
    if field:
        assert f"Rad {line}, {field}: " in shown
    assert "\n" not in shown


def test_the_reasons_read_well() -> None:
    error = refused(task("title: Två", "strain: 4"))
    assert error.text(SV) == (
        "Katalogen är inte inläst. Rad 5, strain: ska vara 1, 2, 3 eller lätt, medel, tung."
    )
    assert error.text(EN) == (
        "The catalogue is not imported. Line 5, strain: must be 1, 2, 3 or light, medium, heavy."
    )
    twin = refused(task("title: FÖRST"))
    assert twin.text(SV).endswith("Rad 4, title: samma titel finns redan på rad 2.")


def test_empty_big_and_crowded_files_are_refused() -> None:
    for empty in ("", "   \n", "# bara en kommentar\n"):
        assert refused(empty).reason == "empty"
    assert refused(empty).text(SV).startswith("Katalogen är inte inläst: filen är tom.")
    big = "tasks:\n  - title: A\n    instructions: " + "x" * MAX_BYTES + "\n"
    assert refused(big).text(SV) == "Katalogen är inte inläst: filen är för stor (högst 1 MB)."
    crowded = "tasks:\n" + "".join(f"  - title: T{n}\n" for n in range(1001))
    error = refused(crowded)
    assert (error.reason, error.line) == ("too_many_tasks", 1002)
    assert len(parse_catalogue(crowded.rsplit("  - ", 1)[0])) == 1000
    with pytest.raises(CatalogueFileError) as caught:
        decode("tasks: ö".encode("latin-1"))
    assert caught.value.reason == "encoding"
    assert decode("\ufefftasks: []".encode()) == "tasks: []"


# --- importing -----------------------------------------------------------------------------


async def titles(services: Services) -> dict[str, TaskTemplate]:
    async with services.sessions() as session:
        return {t.title: t for t in await session.scalars(select(TaskTemplate))}


async def do_import(services: Services, text: str) -> ImportResult:
    specs = parse_catalogue(text)
    async with services.sessions.begin() as session:
        anna = await people_repo.add_person(
            session,
            name=f"Anna {services.now().timestamp()}",
            role=Role.SUPPORT,
            now=services.now(),
        )
        return await import_catalogue(services, session, specs, author=anna)


async def test_import_creates_then_updates_by_title_in_any_case(services: Services) -> None:
    assert await do_import(services, GOOD) == ImportResult(created=2, updated=0, unchanged=0)
    stored = await titles(services)
    duka, leverans = stored["Duka borden"], stored["Ta emot leveransen"]
    assert [s.text for s in duka.steps] == ["Hämta dukarna.", "Lägg en duk på varje bord."]
    assert (duka.strain, duka.expected_minutes) == (1, 20)
    assert abs((services.now() - duka.created_at).total_seconds()) < 5
    assert duka.created_by_id is not None
    assert [(a.kind, a.position) for a in leverans.attachments] == [
        (AttachmentKind.LOCATION, 1),
        (AttachmentKind.LINK, 2),
        (AttachmentKind.PHOTO, 3),
        (AttachmentKind.DOCUMENT, 4),
    ]
    location, link, photo, document = leverans.attachments
    assert (location.latitude, location.longitude, location.caption) == (
        59.31712,
        18.07205,
        "Lastkajen.",
    )
    assert (link.url, photo.telegram_file_id, document.caption) == (
        "https://example.org/leverans",
        "AgACAgIAAxkBAAIBPhoto",
        "Följesedeln.",
    )
    assert leverans.support_part == "Stödpersonen pratar med chauffören."

    changed = """\
tasks:
  - title: DUKA BORDEN
    steps: [Hämta dukarna., Lägg dukarna., Ställ ut vaser.]
    strain: 2
    minutes: 25
  - title: Ta emot leveransen
    strain: heavy
    minutes: 60
    with_support: true
    support_part: Stödpersonen pratar med chauffören.
    attachments:
      - link: https://example.org/ny
  - title: Ny uppgift
"""
    result = await do_import(services, changed)
    assert result == ImportResult(created=1, updated=2, unchanged=0)
    assert result.text(SV) == "Katalogen är inläst: 1 ny, 2 ändrade."
    assert result.text(EN) == "The catalogue is imported: 1 new, 2 changed."
    stored = await titles(services)
    assert set(stored) == {"DUKA BORDEN", "Ta emot leveransen", "Ny uppgift"}
    duka2 = stored["DUKA BORDEN"]
    assert duka2.id == duka.id
    assert [s.text for s in duka2.steps] == ["Hämta dukarna.", "Lägg dukarna.", "Ställ ut vaser."]
    assert (duka2.instructions, duka2.strain, duka2.expected_minutes) == ("", 2, 25)
    assert [a.url for a in stored["Ta emot leveransen"].attachments] == ["https://example.org/ny"]
    async with services.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(TemplateStep)) == 3
        audits = list(
            await session.scalars(
                select(AuditEntry)
                .where(AuditEntry.action == "catalogue.import")
                .order_by(AuditEntry.id)
            )
        )
    assert [a.detail for a in audits] == ["2 new, 0 changed", "1 new, 2 changed"]
    assert all(a.actor_id is not None and a.subject_id is None for a in audits)


async def test_inactive_templates_are_left_alone(services: Services) -> None:
    async with services.sessions.begin() as session:
        session.add(TaskTemplate(title="Duka borden", created_at=services.now(), active=False))
    assert (await do_import(services, GOOD)).created == 2
    async with services.sessions() as session:
        rows = list(await session.scalars(select(TaskTemplate).order_by(TaskTemplate.id)))
    assert [(t.title, t.active) for t in rows] == [
        ("Duka borden", False),
        ("Duka borden", True),
        ("Ta emot leveransen", True),
    ]


async def test_a_bad_task_anywhere_means_nothing_is_imported(services: Services) -> None:
    bad = GOOD + "  - title: Trasig\n    strain: 4\n"
    with pytest.raises(CatalogueFileError) as caught:
        await do_import(services, bad)
    assert (caught.value.line, caught.value.field) == (23, "strain")
    assert await titles(services) == {}


async def test_a_failure_during_import_rolls_the_whole_file_back(services: Services) -> None:
    await do_import(services, GOOD)
    specs = parse_catalogue(GOOD.replace("Duka borden", "Duka om") + "")
    with pytest.raises(RuntimeError):
        async with services.sessions.begin() as session:
            await import_catalogue(services, session, specs, author=None)
            raise RuntimeError("the caller fails after the import")
    assert set(await titles(services)) == {"Duka borden", "Ta emot leveransen"}


async def test_export_reads_back_and_changes_nothing(services: Services) -> None:
    multiline = GOOD.replace(
        "instructions: Lägg dukar på borden.",
        'instructions: "Lägg dukar på borden.\\nSedan servetter: två per gäst."',
    )
    await do_import(services, multiline)
    async with services.sessions.begin() as session:
        session.add(TaskTemplate(title="Gammal", created_at=services.now(), active=False))
    async with services.sessions() as session:
        exported = await export_catalogue(session)
    assert "Gammal" not in exported
    assert "Gästerna ska trivas." in exported  # UTF-8 kept, not \\xe4 escapes
    assert "instructions: |" in exported
    assert list(yaml.safe_load(exported)["tasks"][0]) == [
        "title",
        "instructions",
        "goal",
        "steps",
        "strain",
        "minutes",
    ]
    again = parse_catalogue(exported)
    assert again == parse_catalogue(multiline)
    assert await do_import(services, exported) == ImportResult(created=0, updated=0, unchanged=2)
    async with services.sessions() as session:
        assert await export_catalogue(session) == exported


async def test_the_swedish_example_is_read_and_imported(services: Services) -> None:
    specs = parse_catalogue(EXAMPLE.read_text(encoding="utf-8"))
    assert 5 <= len(specs) <= 6
    assert any(s.strain == 3 for s in specs)
    assert any(s.with_support and s.support_part for s in specs)
    kinds = {type(a).__name__ for s in specs for a in s.attachments}
    assert {"LocationSpec", "LinkSpec"} <= kinds
    assert all(s.steps and s.goal and s.instructions for s in specs)
    result = await do_import(services, EXAMPLE.read_text(encoding="utf-8"))
    assert result == ImportResult(created=len(specs), updated=0, unchanged=0)
    assert "Duka borden i caféet" in await titles(services)


# --- the command line ------------------------------------------------------------------------


def assemble() -> typer.Typer:
    app = typer.Typer(no_args_is_help=True, add_completion=False)
    app.command("import")(cli_catalogue.import_file)
    app.command("export-catalogue")(cli_catalogue.export_catalogue)
    return app


APP = assemble()


def vardag(database: Database, *args: str) -> tuple[int, str, str]:
    env = database.env() | {"VARDAG_LANGUAGE": "sv", "VARDAG_LOG_LEVEL": "WARNING"}
    result = CliRunner().invoke(APP, list(args), env=env, prog_name="vardag")
    if isinstance(result.exception, ConfigError):
        return 2, result.stdout, f"vardag: {result.exception}\n"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


async def test_cli_imports_and_exports(
    services: Services, database: Database, tmp_path: Path
) -> None:
    async def run(*args: str) -> tuple[int, str, str]:
        return await asyncio.to_thread(vardag, database, *args)

    code, out, _ = await run("import", str(EXAMPLE))
    assert (code, out) == (0, "Katalogen är inläst: 6 nya, 0 ändrade.\n")
    code, out, _ = await run("export-catalogue")
    assert code == 0 and out.startswith("# Vardag task catalogue")
    assert "Källsortera soporna" in out
    target = tmp_path / "ut.yaml"
    code, out, _ = await run("export-catalogue", "--output", str(target))
    assert (code, out) == (0, f"Katalogen är sparad i {target}.\n")
    edited = target.read_text(encoding="utf-8").replace("minutes: 20", "minutes: 25", 1)
    target.write_text(edited, encoding="utf-8")
    code, out, _ = await run("import", str(target))
    assert (code, out) == (0, "Katalogen är inläst: 0 nya, 1 ändrad.\n")
    async with services.sessions() as session:
        audits = await session.scalar(
            select(func.count()).where(AuditEntry.action == "catalogue.import")
        )
    assert audits == 2


async def test_cli_refuses_a_bad_file_with_one_line(
    services: Services, database: Database, tmp_path: Path
) -> None:
    async def run(*args: str) -> tuple[int, str, str]:
        return await asyncio.to_thread(vardag, database, *args)

    missing = tmp_path / "saknas.yaml"
    assert await run("import", str(missing)) == (
        2,
        "",
        f"vardag: Filen {missing} finns inte.\n",
    )
    assert await run("import", str(tmp_path)) == (
        2,
        "",
        f"vardag: Filen {tmp_path} går inte att läsa.\n",
    )
    bad = tmp_path / "trasig.yaml"
    bad.write_text(GOOD + "  - title: Trasig\n    strain: 4\n", encoding="utf-8")
    assert await run("import", str(bad)) == (
        2,
        "",
        f"vardag: {bad}: Katalogen är inte inläst. Rad 23, strain: "
        "ska vara 1, 2, 3 eller lätt, medel, tung.\n",
    )
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("tasks:\n  - title: Städa förrådet\n".encode("latin-1"))
    code, _, err = await run("import", str(latin))
    assert (code, err) == (
        2,
        f"vardag: {latin}: Katalogen är inte inläst: filen ska vara sparad som UTF-8.\n",
    )
    assert await titles(services) == {}
