"""What the safety net says: a list that is not ready, and a co-worker's contact persons."""

from __future__ import annotations

from markupsafe import Markup, escape

from bot.i18n import Texts
from bot.rules.help import NO_TASK
from bot.rules.responsible import Contacts
from bot.telegram.callbacks import Action, Callback
from bot.telegram.rendered import Button, Rendered


def today_waiting(t: Texts) -> Rendered:
    """``/today`` while the day's list still waits for approval (not shown as the list)."""
    return Rendered(
        t("safety.today_waiting"),
        [[Button(t("card.button_help"), Callback(Action.HELP, NO_TASK))]],
    )


def contact_lines(t: Texts, contacts: Contacts) -> Markup:
    """Both contact persons by name, and who is on duty now."""
    if contacts.primary is None or contacts.secondary is None:
        lines = [t("safety.no_contacts_yet")]
    else:
        lines = [
            t(
                "safety.your_contacts",
                primary=escape(contacts.primary.display_name),
                secondary=escape(contacts.secondary.display_name),
            )
        ]
    if contacts.on_duty is not None:
        lines.append(t("safety.on_duty_now", name=escape(contacts.on_duty.display_name)))
    else:
        lines.append(t("safety.nobody_on_duty"))
    return Markup("\n").join(lines)


def contacts_card(t: Texts, contacts: Contacts) -> Rendered:
    return Rendered(contact_lines(t, contacts))
