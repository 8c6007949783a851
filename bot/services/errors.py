"""Wrong input to a service, said in one line from the catalogues (every door shows it)."""

from __future__ import annotations

from markupsafe import Markup

from bot.i18n import PlainTexts, Texts


class OrganisationError(Exception):
    """Wrong input: ``key`` names a one-line text in the catalogues, ``values`` fill it."""

    def __init__(self, key: str, /, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values

    def text(self, t: Texts) -> Markup:
        return t(self.key, **self.values)

    def plain(self, t: Texts | PlainTexts) -> str:
        """For the command line: nothing escaped."""
        return t.plain(self.key, **self.values)
