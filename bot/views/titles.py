"""Task titles named in a short message: a few by name, the rest counted, within a word limit.

Co-worker messages keep to about 60 words however many tasks there are, so a view
tries less and less detail (:data:`DETAIL`) until its text fits (:func:`fits`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from bot.i18n import Texts

MAX_WORDS = 60
_TAG = re.compile(r"<[^>]+>")
_COMMA = Markup(", ")


@dataclass(frozen=True)
class Detail:
    names: int  # how many titles are named; 0: only counted
    words: int  # the longest a named title may be, in words


# From the most to the least detail; the last always fits (titles are only counted).
DETAIL = (Detail(3, 8), Detail(2, 8), Detail(1, 8), Detail(1, 4), Detail(0, 0))


def word_count(html: str) -> int:
    """Words a person reads: tags, emoji and punctuation on their own do not count."""
    return sum(1 for token in _TAG.sub(" ", html).split() if any(c.isalnum() for c in token))


def short_title(title: str, words: int) -> Markup:
    parts = title.split()
    return escape(title) if len(parts) <= words else escape(" ".join(parts[:words])) + "…"


def things(t: Texts, count: int) -> Markup:
    """ "1 sak" / "3 saker"."""
    return t("titles.one_thing") if count == 1 else t("titles.things", count=count)


def named(t: Texts, titles: Sequence[str], detail: Detail, *, and_last: bool) -> Markup:
    """ "A, B och C" (``and_last``) or "A, B, C"; past ``detail.names``: "A, B och 2 till";
    with no names at all: "3 saker"."""
    if detail.names == 0:
        return things(t, len(titles))
    shown = [short_title(title, detail.words) for title in titles[: detail.names]]
    rest = len(titles) - len(shown)
    if rest:
        return Markup("{} {} {}").format(
            _COMMA.join(shown), t("titles.and"), t("titles.more", count=rest)
        )
    if and_last and len(shown) > 1:
        return Markup("{} {} {}").format(_COMMA.join(shown[:-1]), t("titles.and"), shown[-1])
    return _COMMA.join(shown)


def fits(build: Callable[[Detail], Markup], limit: int = MAX_WORDS) -> Markup:
    """The text with the most detail that keeps within ``limit`` words."""
    for detail in DETAIL[:-1]:
        text = build(detail)
        if word_count(text) <= limit:
            return text
    return build(DETAIL[-1])
