"""The sv/en catalogues (gettext ``.po`` files read with Babel) and date words.

Message ids are symbolic keys (``morning.greeting``); the text for people lives
only in ``bot/locales/<lang>/LC_MESSAGES/vardag.po``. Swedish is the fallback.
"""

from __future__ import annotations

import gettext
import io
from datetime import date
from functools import cache
from pathlib import Path

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES = Path(__file__).parent / "locales"
LANGUAGES = ("sv", "en")
DEFAULT_LANGUAGE = "sv"
DOMAIN = "vardag"


def catalogue_path(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def _translations(language: str) -> gettext.GNUTranslations:
    with catalogue_path(language).open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    translations = gettext.GNUTranslations(buffer)
    if language != DEFAULT_LANGUAGE:
        translations.add_fallback(_translations(DEFAULT_LANGUAGE))
    return translations


def known_language(language: str | None) -> str:
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


class Texts:
    """The catalogue of one language, with ``str.format`` placeholders filled in."""

    def __init__(self, language: str | None) -> None:
        self.language = known_language(language)
        self._catalogue = _translations(self.language)

    def __call__(self, key: str, /, **values: object) -> str:
        return self._catalogue.gettext(key).format(**values)

    def template(self, key: str, /) -> str:
        """The text with its ``{placeholders}`` left in (for a page that fills them in)."""
        return self._catalogue.gettext(key)

    def plural(self, key: str, count: int, /, **values: object) -> str:
        """``key`` has a ``msgid_plural`` of ``key + '.plural'`` in the catalogue."""
        return self._catalogue.ngettext(key, f"{key}.plural", count).format(count=count, **values)

    def day_in_words(self, day: date) -> str:
        """ "tisdag 24 november" / "Tuesday 24 November"."""
        return format_date(day, "EEEE d MMMM", locale=self.language)
