"""``vardag group …``: groups, their staff, their co-workers and who answers for them.

Wrong input raises :class:`ConfigError` with one line from the catalogue; ``vardag``
prints it and exits 2.
"""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.runner import reads, writes
from bot.context import Services
from bot.i18n import PlainTexts
from bot.services.people import organisation as org
from bot.services.people.group_admin import responsible_of, set_responsible
from storage.models import Person

group_app = typer.Typer(no_args_is_help=True, add_completion=False, help="Groups and their staff.")

Group = Annotated[str, typer.Argument(help="Group name or #id")]
Staff = Annotated[str, typer.Argument(help="Support person's name or #id")]


def _names(people: list[Person], t: PlainTexts) -> str:
    return ", ".join(f"{p.display_name} (#{p.id})" for p in people) or t("org.nobody")


@group_app.command("create")
@writes
async def group_create(
    services: Services,
    session: AsyncSession,
    t: PlainTexts,
    name: Annotated[str, typer.Argument(help='The group\'s name, e.g. "Rutt 1"')],
    phone: Annotated[str | None, typer.Option(help="A phone number co-workers can call")] = None,
) -> list[str]:
    """Create a group."""
    group = await org.create_group(services, session, name, phone)
    return [t("org.group_created", name=group.name, id=group.id)]


@group_app.command("list")
@reads
async def group_list(services: Services, session: AsyncSession, t: PlainTexts) -> list[str]:
    """List the groups with their staff and co-workers."""
    lines: list[str] = []
    for view in await org.list_groups(services, session):
        lines.append(t("org.group_line", id=view.group.id, name=view.group.name))
        if view.group.phone:
            lines.append(t("org.group_phone", phone=view.group.phone))
        if not view.group.send_unapproved_drafts:
            lines.append(t("org.group_drafts_wait"))
        responsible = await responsible_of(session, view.group)
        if responsible is not None:
            lines.append(t("org.group_responsible", name=responsible.display_name))
        lines.append(t("org.group_staff", names=_names(view.staff, t)))
        lines.append(t("org.group_coworkers", names=_names(view.coworkers, t)))
    return lines or [t("org.no_groups")]


@group_app.command("drafts")
@writes
async def group_drafts(
    services: Services,
    session: AsyncSession,
    t: PlainTexts,
    group: Group,
    policy: Annotated[
        str,
        typer.Argument(
            help="send: a list nobody approved goes out as drafted; "
            "wait: it waits for approval (the contact person is told)"
        ),
    ],
) -> list[str]:
    """Send the day's list as drafted, or wait until a support person approves it."""
    found = await org.set_draft_policy(services, session, group, policy)
    key = "org.draft_policy_send" if found.send_unapproved_drafts else "org.draft_policy_wait"
    return [t(key, group=found.name)]


@group_app.command("responsible")
@writes
async def group_responsible(
    services: Services,
    session: AsyncSession,
    t: PlainTexts,
    group: Group,
    admin: Annotated[
        str | None, typer.Argument(help="Admin's name or #id; leave out to clear")
    ] = None,
) -> list[str]:
    """Who hears, last, of a red check-in nobody on duty took (default: every admin)."""
    found, chosen = await set_responsible(services, session, group, admin)
    if chosen is None:
        return [t("org.responsible_cleared", group=found.name)]
    return [t("org.responsible_set", name=chosen.display_name, group=found.name)]


@group_app.command("add-staff")
@writes
async def group_add_staff(
    services: Services, session: AsyncSession, t: PlainTexts, group: Group, person: Staff
) -> list[str]:
    """Add a support person to a group's staff."""
    found, staff = await org.add_staff(services, session, group, person)
    return [t("org.staff_added", name=staff.display_name, group=found.name)]


@group_app.command("remove-staff")
@writes
async def group_remove_staff(
    services: Services, session: AsyncSession, t: PlainTexts, group: Group, person: Staff
) -> list[str]:
    """Take a support person off a group's staff."""
    found, staff = await org.remove_staff(services, session, group, person)
    return [t("org.staff_removed", name=staff.display_name, group=found.name)]


@group_app.command("move")
@writes
async def group_move(
    services: Services,
    session: AsyncSession,
    t: PlainTexts,
    coworker: Annotated[str, typer.Argument(help="Co-worker's name or #id")],
    group: Group,
) -> list[str]:
    """Move a co-worker to a group."""
    moved = await org.move_coworker(services, session, coworker, group)
    lines = [t("org.moved", name=moved.coworker.display_name, group=moved.group.name)]
    if moved.contacts_cleared:
        lines.append(t("org.moved_contacts_cleared", group=moved.group.name))
    return lines
