"""The sv/en catalogues (gettext ``.po`` files read with Babel) and date words.

Message ids are symbolic keys (``morning.greeting``); the text for people lives
only in ``bot/locales/<lang>/LC_MESSAGES/vardag.po``. Swedish is the fallback.
"""

from __future__ import annotations

import gettext
import io
from datetime import date
from functools import cache, lru_cache
from pathlib import Path

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from markupsafe import Markup

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


def plain(text: str) -> str:
    """Text for a place Telegram shows as plain text (a button, an alert): a ``Markup``
    loses its escapes (``&lt;`` is ``<`` again); a plain ``str`` is kept."""
    return text.unescape() if isinstance(text, Markup) else text


class _Catalogue:
    def __init__(self, language: str | None) -> None:
        self.language = known_language(language)
        self._catalogue = _translations(self.language)

    def template(self, key: str, /) -> str:
        """The text with its ``{placeholders}`` left in (for a page that fills them in)."""
        return self._catalogue.gettext(key)

    def plain(self, key: str, /, **values: object) -> str:
        """The text with its values as they are, for a plain-text place (an alert, the
        command line): nothing escaped."""
        return self._catalogue.gettext(key).format(**values)

    def day_in_words(self, day: date) -> str:
        """ "tisdag 24 november" / "Tuesday 24 November"."""
        return _day_in_words(day, self.language)


@lru_cache(maxsize=1024)
def _day_in_words(day: date, language: str) -> str:
    # Babel's formatting is a tenth of a millisecond, and the same few days are named
    # over and over (each press's edited list names today).
    return format_date(day, "EEEE d MMMM", locale=language)


class Texts(_Catalogue):
    """The catalogue of one language, for messages sent as HTML: the template is trusted
    markup, every value is escaped unless it is ``Markup`` already (built the same way).

    Build message text only from these (and ``markupsafe.Markup``/``escape``): a raw
    ``str`` joined into a ``Markup`` is escaped, so user text can never become markup."""

    def __call__(self, key: str, /, **values: object) -> Markup:
        return Markup(self._catalogue.gettext(key)).format(**values)

    def plural(self, key: str, count: int, /, **values: object) -> Markup:
        """``key`` has a ``msgid_plural`` of ``key + '.plural'`` in the catalogue."""
        template = Markup(self._catalogue.ngettext(key, f"{key}.plural", count))
        return template.format(count=count, **values)


class PlainTexts(_Catalogue):
    """The same catalogue for plain text (the command line, a chart): nothing escaped."""

    def __call__(self, key: str, /, **values: object) -> str:
        return self.plain(key, **values)

    def plural(self, key: str, count: int, /, **values: object) -> str:
        template = self._catalogue.ngettext(key, f"{key}.plural", count)
        return template.format(count=count, **values)
