"""Escaping by construction: message text is Markup built from the catalogue's template
and escaped values; plain-text places (alerts, buttons, the command line) get plain text."""

from __future__ import annotations

from markupsafe import Markup, escape

from bot.i18n import PlainTexts, Texts
from bot.telegram.callbacks import Action, Callback
from bot.telegram.rendered import Button, Rendered
from bot.views import escalation
from storage.models import Person, Role

SV = Texts("sv")


def test_values_are_escaped_and_markup_is_kept() -> None:
    text = SV("newtask.saved", title="<b>Kaffe & te</b>")
    assert isinstance(text, Markup)
    assert text == "Uppgiften &lt;b&gt;Kaffe &amp; te&lt;/b&gt; är sparad i katalogen."
    bold = Markup("<b>{}</b>").format("A&B")
    assert SV("newtask.saved", title=bold) == "Uppgiften <b>A&amp;B</b> är sparad i katalogen."
    assert SV("newtask.saved", title=escape("O'Hara")) == SV("newtask.saved", title="O'Hara")


def test_plain_places_get_plain_text() -> None:
    assert SV.plain("newtask.saved", title="<x> & 'y'") == (
        "Uppgiften <x> & 'y' är sparad i katalogen."
    )
    assert PlainTexts("sv")("newtask.saved", title="O'Hara") == (
        "Uppgiften O'Hara är sparad i katalogen."
    )
    label = Button(SV("newtask.saved", title="O'Hara <3"), Callback(Action.TODAY))
    rendered = Rendered(Markup("x"), [[label]])
    assert rendered.payload()["buttons"] == [[["Uppgiften O'Hara <3 är sparad i katalogen.", "t"]]]
    markup = rendered.markup()
    assert markup is not None
    assert markup.inline_keyboard[0][0].text == "Uppgiften O'Hara <3 är sparad i katalogen."


def test_the_already_taken_alert_is_plain_text() -> None:
    by = Person(display_name="Siobhan O'Hara", role=Role.SUPPORT)
    kim = Person(display_name="Kim <3", role=Role.COWORKER)
    assert escalation.taken(SV, by, kim) == "Siobhan O'Hara tar hand om Kim <3."
