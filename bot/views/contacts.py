"""Setting a co-worker's two contact persons in chat."""

from __future__ import annotations

from markupsafe import Markup, escape

from bot.i18n import Texts
from bot.rules.contacts import Contacts
from bot.telegram.callbacks import Action, Callback
from bot.telegram.rendered import Button, Rendered
from storage.models import Person


def _people(action: Action, persons: list[Person]) -> list[list[Button]]:
    return [[Button(p.display_name, Callback(action, p.id))] for p in persons]


def choose_coworker(t: Texts, coworkers: list[Person]) -> Rendered:
    if not coworkers:
        return Rendered(t("contacts.no_coworkers"))
    return Rendered(t("contacts.which_coworker"), _people(Action.CONTACT_COWORKER, coworkers))


def current(t: Texts, contacts: Contacts) -> Markup:
    name = escape(contacts.coworker.display_name)
    if contacts.primary is None or contacts.secondary is None:
        return t("org.no_contacts", name=name)
    return t(
        "org.contacts",
        name=name,
        primary=escape(contacts.primary.display_name),
        secondary=escape(contacts.secondary.display_name),
    )


def choose_primary(t: Texts, contacts: Contacts, staff: list[Person]) -> Rendered:
    text = Markup("\n\n").join([current(t, contacts), t("contacts.which_primary")])
    return Rendered(text, _people(Action.CONTACT_PRIMARY, staff))


def choose_secondary(t: Texts, primary: Person, staff: list[Person]) -> Rendered:
    others = [p for p in staff if p.id != primary.id]
    text = t("contacts.which_secondary", primary=escape(primary.display_name))
    return Rendered(text, _people(Action.CONTACT_SECONDARY, others))
