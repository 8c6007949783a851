"""``vardag contacts …``: a co-worker's two contact persons, from the group's staff."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.runner import reads, writes
from bot.context import Services
from bot.i18n import PlainTexts
from bot.rules.contacts import Contacts
from bot.services.people.contacts import set_contacts, show_contacts

contacts_app = typer.Typer(
    no_args_is_help=True, add_completion=False, help="A co-worker's two contact persons."
)

Coworker = Annotated[str, typer.Argument(help="Co-worker's name or #id")]


def _contacts_line(contacts: Contacts, t: PlainTexts) -> str:
    if contacts.primary is None or contacts.secondary is None:
        return t("org.no_contacts", name=contacts.coworker.display_name)
    return t(
        "org.contacts",
        name=contacts.coworker.display_name,
        primary=contacts.primary.display_name,
        secondary=contacts.secondary.display_name,
    )


@contacts_app.command("set")
@writes
async def contacts_set(
    services: Services,
    session: AsyncSession,
    t: PlainTexts,
    coworker: Coworker,
    primary: Annotated[str, typer.Option(help="The contact person (name or #id)")],
    secondary: Annotated[str, typer.Option(help="The second contact person (name or #id)")],
) -> list[str]:
    """Set a co-worker's two contact persons (staff of the co-worker's group)."""
    contacts = await set_contacts(services, session, coworker, primary, secondary)
    return [_contacts_line(contacts, t)]


@contacts_app.command("show")
@reads
async def contacts_show(
    services: Services, session: AsyncSession, t: PlainTexts, coworker: Coworker
) -> list[str]:
    """Show a co-worker's contact persons."""
    return [_contacts_line(await show_contacts(services, session, coworker), t)]
