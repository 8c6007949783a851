"""``vardag group|contacts|rota|people``: setting up groups, contact persons and the rota.

Mounted into ``bot.cli.main``'s app. Wrong input raises :class:`ConfigError` with one
line from the catalogue; ``vardag`` prints it and exits 2.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated

import typer
from babel.dates import get_day_names
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import ConfigError, Settings
from bot.i18n import PlainTexts
from bot.rules.clock import Clock
from bot.rules.contacts import Contacts
from bot.runtime.runner import open_runtime
from bot.services.context import Services
from bot.services.people import organisation as org
from bot.services.people import rota
from bot.services.people.contacts import set_contacts, show_contacts
from bot.services.people.group_admin import responsible_of, set_responsible
from storage.models import Absence, DutyShift, Person

Work = Callable[[Services, AsyncSession, PlainTexts], Awaitable[list[str]]]

group_app = typer.Typer(no_args_is_help=True, add_completion=False, help="Groups and their staff.")
contacts_app = typer.Typer(
    no_args_is_help=True, add_completion=False, help="A co-worker's two contact persons."
)
rota_app = typer.Typer(no_args_is_help=True, add_completion=False, help="Shifts and absences.")


def _no_clock() -> Clock | None:
    return None


# Which clock the commands ask; None is the system clock. Tests set a fixed one.
clock_factory: Callable[[], Clock | None] = _no_clock


def _settings() -> Settings:
    from bot.cli.main import _settings as load  # late: bot.cli.main imports this module

    return load()


def _run(work: Work) -> None:
    """Do ``work`` in one transaction and print its lines; wrong input is a ConfigError."""
    settings = _settings()
    t = PlainTexts(settings.language)

    async def _go() -> list[str]:
        async with (
            open_runtime(settings, clock=clock_factory()) as runtime,
            runtime.services.sessions.begin() as session,
        ):
            return await work(runtime.services, session, t)

    try:
        lines = asyncio.run(_go())
    except org.OrganisationError as exc:
        raise ConfigError(exc.plain(t)) from None
    for line in lines:
        typer.echo(line)


def _when(moment: datetime, services: Services) -> str:
    return moment.astimezone(services.zone).strftime("%Y-%m-%d %H:%M")


def _names(people: list[Person], t: PlainTexts) -> str:
    return ", ".join(f"{p.display_name} (#{p.id})" for p in people) or t("org.nobody")


def _shift_lines(shifts: list[DutyShift], t: PlainTexts) -> list[str]:
    days = get_day_names("abbreviated", locale=t.language)
    return [
        t(
            "org.shift_line",
            day=days[s.weekday],
            hours=f"{s.start_time:%H:%M}–{s.end_time:%H:%M}",
        )
        for s in shifts
    ]


def _absence_line(absence: Absence, services: Services, t: PlainTexts) -> str:
    start, end = _when(absence.starts_at, services), _when(absence.ends_at, services)
    if absence.reason:
        return t("org.absence_line_reason", start=start, end=end, reason=absence.reason)
    return t("org.absence_line", start=start, end=end)


# --- vardag group ------------------------------------------------------------------------


@group_app.command("create")
def group_create(
    name: Annotated[str, typer.Argument(help='The group\'s name, e.g. "Rutt 1"')],
    phone: Annotated[str | None, typer.Option(help="A phone number co-workers can call")] = None,
) -> None:
    """Create a group."""

    async def work(services: Services, session: AsyncSession, t: PlainTexts) -> list[str]:
        group = await org.create_group(services, session, name, phone)
        return [t("org.group_created", name=group.name, id=group.id)]

    _run(work)


@group_app.command("list")
def group_list() -> None:
    """List the groups with their staff and co-workers."""

    async def work(services: Services, session: AsyncSession, t: PlainTexts) -> list[str]:
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

    _run(work)


@group_app.command("drafts")
def group_drafts(
    group: Annotated[str, typer.Argument(help="Group name or #id")],
    policy: Annotated[
        str,
        typer.Argument(
            help="send: a list nobody approved goes out as drafted; "
            "wait: it waits for approval (the contact person is told)"
        ),
    ],
) -> None:
    """Send the day's list as drafted, or wait until a support person approves it."""

    async def work(services: Services, session: AsyncSession, t: PlainTexts) -> list[str]:
        found = await org.set_draft_policy(services, session, group, policy)
        key = "org.draft_policy_send" if found.send_unapproved_drafts else "org.draft_policy_wait"
        return [t(key, group=found.name)]

    _run(work)


@group_app.command("responsible")
def group_responsible(
    group: Annotated[str, typer.Argument(help="Group name or #id")],
    admin: Annotated[
        str | None, typer.Argument(help="Admin's name or #id; leave out to clear")
    ] = None,
) -> None:
    """Who hears, last, of a red check-in nobody on duty took (default: every admin)."""

    async def work(services: Services, session: AsyncSession, t: PlainTexts) -> list[str]:
        found, chosen = await set_responsible(services, session, group, admin)
        if chosen is None:
            return [t("org.responsible_cleared", group=found.name)]
        return [t("org.responsible_set", name=chosen.display_name, group=found.name)]

    _run(work)


@group_app.command("add-staff")
def group_add_staff(
    group: Annotated[str, typer.Argument(help="Group name or #id")],
    person: Annotated[str, typer.Argument(help="Support person's name or #id")],
) -> None:
    """Add a support person to a group's staff."""

    async def work(services: Services, session: AsyncSession, t: PlainTexts) -> list[str]:
        found, staff = await org.add_staff(services, session, group, person)
        return [t("org.staff_added", name=staff.display_name, group=found.name)]

    _run(work)


@group_app.command("remove-staff")
def group_remove_staff(
    group: Annotated[str, typer.Argument(help="Group name or #id")],
    person: Annotated[str, typer.Argument(help="Support person's name or #id")],
) -> None:
    """Take a support person off a group's staff."""

    async def work(services: Services, session: AsyncSession, t: PlainTexts) -> list[str]:
        found, staff = await org.remove_staff(services, session, group, person)
        return [t("org.staff_removed", name=staff.display_name, group=found.name)]

    _run(work)


@group_app.command("move")
def group_move(
    coworker: Annotated[str, typer.Argument(help="Co-worker's name or #id")],
    group: Annotated[str, typer.Argument(help="Group name or #id")],
) -> None:
    """Move a co-worker to a group."""

    async def work(services: Services, session: AsyncSession, t: PlainTexts) -> list[str]:
        moved = await org.move_coworker(services, session, coworker, group)
        lines = [t("org.moved", name=moved.coworker.display_name, group=moved.group.name)]
        if moved.contacts_cleared:
            lines.append(t("org.moved_contacts_cleared", group=moved.group.name))
        return lines

    _run(work)


# --- vardag contacts ----------------------------------------------------------------------


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
def contacts_set(
    coworker: Annotated[str, typer.Argument(help="Co-worker's name or #id")],
    primary: Annotated[str, typer.Option(help="The contact person (name or #id)")],
    secondary: Annotated[str, typer.Option(help="The second contact person (name or #id)")],
) -> None:
    """Set a co-worker's two contact persons (staff of the co-worker's group)."""

    async def work(services: Services, session: AsyncSession, t: PlainTexts) -> list[str]:
        return [
            _contacts_line(await set_contacts(services, session, coworker, primary, secondary), t)
        ]

    _run(work)


@contacts_app.command("show")
def contacts_show(
    coworker: Annotated[str, typer.Argument(help="Co-worker's name or #id")],
) -> None:
    """Show a co-worker's contact persons."""

    async def work(services: Services, session: AsyncSession, t: PlainTexts) -> list[str]:
        return [_contacts_line(await show_contacts(services, session, coworker), t)]

    _run(work)


# --- vardag rota ----------------------------------------------------------------------------


@rota_app.command("set")
def rota_set(
    person: Annotated[str, typer.Argument(help="Support person's name or #id")],
    days: Annotated[str, typer.Option(help="mon-fri, mon,wed,fri, sat-sun …")],
    start: Annotated[str, typer.Option("--from", help="Start, local time, e.g. 07:00")],
    end: Annotated[str, typer.Option("--to", help="End, local time, e.g. 16:00")],
    add: Annotated[
        bool, typer.Option("--add", help="Add these shifts instead of replacing")
    ] = False,
) -> None:
    """Set a support person's weekly shifts (replaces them all unless --add)."""

    async def work(services: Services, session: AsyncSession, t: PlainTexts) -> list[str]:
        weekdays = rota.parse_days(days)
        begins, ends = rota.parse_clock(start), rota.parse_clock(end)
        found, shifts = await rota.set_shifts(
            services, session, person, [(day, begins, ends) for day in weekdays], add=add
        )
        return [t("org.shifts_title", name=found.display_name), *_shift_lines(shifts, t)]

    _run(work)


@rota_app.command("show")
def rota_show(
    person: Annotated[str, typer.Argument(help="Support person's name or #id")],
) -> None:
    """Show a support person's weekly shifts and current and coming absences."""

    async def work(services: Services, session: AsyncSession, t: PlainTexts) -> list[str]:
        found, shifts = await rota.list_shifts(services, session, person)
        _, absences = await rota.list_absences(services, session, f"#{found.id}")
        name = found.display_name
        lines = (
            [t("org.shifts_title", name=name), *_shift_lines(shifts, t)]
            if shifts
            else [t("org.no_shifts", name=name)]
        )
        if absences:
            lines.append(t("org.absences_title", name=name))
            lines.extend(_absence_line(a, services, t) for a in absences)
        else:
            lines.append(t("org.no_absences", name=name))
        return lines

    _run(work)


@rota_app.command("away")
def rota_away(
    person: Annotated[str, typer.Argument(help="Support person's name or #id")],
    end: Annotated[str, typer.Option("--to", help="Last day (2026-12-05) or a local time")],
    start: Annotated[
        str | None, typer.Option("--from", help="First day or a local time; default now")
    ] = None,
    reason: Annotated[str | None, typer.Option(help="e.g. sick, holiday")] = None,
) -> None:
    """Record an absence: off duty from --from until the end of --to."""

    async def work(services: Services, session: AsyncSession, t: PlainTexts) -> list[str]:
        begins = rota.parse_moment(start, services) if start else None
        ends = rota.parse_moment(end, services, end=True)
        absence = await rota.add_absence(services, session, person, begins, ends, reason)
        found = await org.find_person(session, f"#{absence.person_id}")
        return [
            t(
                "org.away_added",
                name=found.display_name,
                start=_when(absence.starts_at, services),
                end=_when(absence.ends_at, services),
            )
        ]

    _run(work)


@rota_app.command("back")
def rota_back(
    person: Annotated[str, typer.Argument(help="Support person's name or #id")],
) -> None:
    """The person is back now: their current absence ends."""

    async def work(services: Services, session: AsyncSession, t: PlainTexts) -> list[str]:
        found, _ = await rota.end_absence(services, session, person)
        return [t("org.back", name=found.display_name)]

    _run(work)


@rota_app.command("duty")
def rota_duty(
    group: Annotated[str, typer.Argument(help="Group name or #id")],
) -> None:
    """Who in the group is on duty now."""

    async def work(services: Services, session: AsyncSession, t: PlainTexts) -> list[str]:
        duty = await rota.on_duty_now(services, session, group)
        if duty.on_duty:
            return [
                t("org.duty_title", group=duty.group.name),
                *(t("org.duty_line", name=p.display_name, id=p.id) for p in duty.on_duty),
            ]
        upcoming = (
            t("org.duty_next", when=_when(duty.next_on_duty, services))
            if duty.next_on_duty
            else t("org.duty_none_soon")
        )
        return [t("org.duty_nobody", group=duty.group.name), upcoming]

    _run(work)


# --- vardag people -------------------------------------------------------------------------


def people() -> None:
    """Everyone: id, name, role, group, joined, reachable."""

    async def work(services: Services, session: AsyncSession, t: PlainTexts) -> list[str]:
        rows = await org.list_people(services, session)
        yes, no = t("org.yes"), t("org.no")
        return [
            t(
                "org.people_line",
                id=row.person.id,
                name=row.person.display_name,
                role=t(f"role.{row.person.role.value}"),
                groups=", ".join(g.name for g in row.groups) or "–",
                joined=yes if row.joined else no,
                reachable=yes if row.person.active and not row.person.unreachable else no,
            )
            for row in rows
        ] or [t("org.no_people")]

    _run(work)


def deactivate(person: Annotated[str, typer.Argument(help="Name or #id")]) -> None:
    """Deactivate a person: the bot answers them only with its one polite line."""
    _set_active(person, active=False)


def activate(person: Annotated[str, typer.Argument(help="Name or #id")]) -> None:
    """Give a deactivated person their access back."""
    _set_active(person, active=True)


def _set_active(ref: str, *, active: bool) -> None:
    async def work(services: Services, session: AsyncSession, t: PlainTexts) -> list[str]:
        person = await org.set_active(services, session, ref, active)
        return [t("org.activated" if active else "org.deactivated", name=person.display_name)]

    _run(work)
