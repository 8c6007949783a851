"""``vardag rota …``: support persons' weekly shifts, their absences, and who is on duty."""

from __future__ import annotations

from typing import Annotated

import typer
from babel.dates import get_day_names
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.runner import reads, writes
from bot.context import Services
from bot.i18n import PlainTexts
from bot.rules.localtime import local_minute
from bot.services.people import organisation as org
from bot.services.people import rota
from storage.models import Absence, DutyShift

rota_app = typer.Typer(no_args_is_help=True, add_completion=False, help="Shifts and absences.")

Staff = Annotated[str, typer.Argument(help="Support person's name or #id")]


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
    start = local_minute(absence.starts_at, services.zone)
    end = local_minute(absence.ends_at, services.zone)
    if absence.reason:
        return t("org.absence_line_reason", start=start, end=end, reason=absence.reason)
    return t("org.absence_line", start=start, end=end)


@rota_app.command("set")
@writes
async def rota_set(
    services: Services,
    session: AsyncSession,
    t: PlainTexts,
    person: Staff,
    days: Annotated[str, typer.Option(help="mon-fri, mon,wed,fri, sat-sun …")],
    start: Annotated[str, typer.Option("--from", help="Start, local time, e.g. 07:00")],
    end: Annotated[str, typer.Option("--to", help="End, local time, e.g. 16:00")],
    add: Annotated[
        bool, typer.Option("--add", help="Add these shifts instead of replacing")
    ] = False,
) -> list[str]:
    """Set a support person's weekly shifts (replaces them all unless --add)."""
    weekdays = rota.parse_days(days)
    begins, ends = rota.parse_clock(start), rota.parse_clock(end)
    found, shifts = await rota.set_shifts(
        services, session, person, [(day, begins, ends) for day in weekdays], add=add
    )
    return [t("org.shifts_title", name=found.display_name), *_shift_lines(shifts, t)]


@rota_app.command("show")
@reads
async def rota_show(
    services: Services, session: AsyncSession, t: PlainTexts, person: Staff
) -> list[str]:
    """Show a support person's weekly shifts and current and coming absences."""
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


@rota_app.command("away")
@writes
async def rota_away(
    services: Services,
    session: AsyncSession,
    t: PlainTexts,
    person: Staff,
    end: Annotated[str, typer.Option("--to", help="Last day (2026-12-05) or a local time")],
    start: Annotated[
        str | None, typer.Option("--from", help="First day or a local time; default now")
    ] = None,
    reason: Annotated[str | None, typer.Option(help="e.g. sick, holiday")] = None,
) -> list[str]:
    """Record an absence: off duty from --from until the end of --to."""
    begins = rota.parse_moment(start, services) if start else None
    ends = rota.parse_moment(end, services, end=True)
    absence = await rota.add_absence(services, session, person, begins, ends, reason)
    found = await org.find_person(session, f"#{absence.person_id}")
    return [
        t(
            "org.away_added",
            name=found.display_name,
            start=local_minute(absence.starts_at, services.zone),
            end=local_minute(absence.ends_at, services.zone),
        )
    ]


@rota_app.command("back")
@writes
async def rota_back(
    services: Services, session: AsyncSession, t: PlainTexts, person: Staff
) -> list[str]:
    """The person is back now: their current absence ends."""
    found, _ = await rota.end_absence(services, session, person)
    return [t("org.back", name=found.display_name)]


@rota_app.command("duty")
@reads
async def rota_duty(
    services: Services,
    session: AsyncSession,
    t: PlainTexts,
    group: Annotated[str, typer.Argument(help="Group name or #id")],
) -> list[str]:
    """Who in the group is on duty now."""
    duty = await rota.on_duty_now(services, session, group)
    if duty.on_duty:
        return [
            t("org.duty_title", group=duty.group.name),
            *(t("org.duty_line", name=p.display_name, id=p.id) for p in duty.on_duty),
        ]
    upcoming = (
        t("org.duty_next", when=local_minute(duty.next_on_duty, services.zone))
        if duty.next_on_duty
        else t("org.duty_none_soon")
    )
    return [t("org.duty_nobody", group=duty.group.name), upcoming]
