"""Every text for people lives in the sv and en catalogues, and they agree."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.i18n import LANGUAGES, Texts, catalogue_path
from storage.models import Role

ROOT = Path(__file__).resolve().parents[2]
CODE_DIRS = ("bot", "handlers", "jobs")
# t("key"…), Texts(x)("key"…), texts_for(…)("key"…), t.plural("key"…)
KEY_USE = re.compile(r'(?:\bt|\bplural|\)|Error)\(\s*"([a-z_]+\.[a-z_.]+)"')


def catalogue(language: str) -> dict[str, str]:
    with catalogue_path(language).open("rb") as po:
        return {str(m.id): str(m.string) for m in read_po(po) if m.id}


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def used_keys() -> set[tuple[str, str]]:
    return {
        (str(path.relative_to(ROOT)), key)
        for folder in CODE_DIRS
        for path in (ROOT / folder).rglob("*.py")
        for key in KEY_USE.findall(path.read_text())
    }


def test_both_languages_have_the_same_keys() -> None:
    assert set(catalogue("sv")) == set(catalogue("en"))


def test_no_empty_translation() -> None:
    for language in LANGUAGES:
        empty = [key for key, text in catalogue(language).items() if not text.strip()]
        assert empty == [], language


@pytest.mark.parametrize("key", sorted(catalogue("sv")))
def test_placeholders_agree(key: str) -> None:
    assert fields(catalogue("sv")[key]) == fields(catalogue("en")[key])


def test_every_key_in_the_code_is_in_the_catalogue() -> None:
    used = used_keys()
    assert len(used) > 20, "the pattern that finds keys in the code has stopped matching"
    known = set(catalogue("sv"))
    assert {f"{path}: {key}" for path, key in used if key not in known} == set()


def test_role_names_exist_for_every_role() -> None:
    for language in LANGUAGES:
        t = Texts(language)
        for role in Role:
            assert t(f"role.{role.value}") != f"role.{role.value}"


def test_swedish_is_the_fallback_for_unknown_languages() -> None:
    assert Texts("fi").language == "sv"
    assert Texts(None)("task.new") == "ny"
