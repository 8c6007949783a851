"""``vardag plan …``: plan catalogue tasks for a co-worker, draft a day, show a list."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.runner import reads, writes, writes_when
from bot.context import Services
from bot.i18n import PlainTexts, Texts, plain
from bot.rules.repeating import Repeating
from bot.services.errors import OrganisationError
from bot.services.people import rota
from bot.services.people.organisation import find_coworker
from bot.services.planning import add_task, capacity, drafting, plans, recurring
from bot.views.capacity import weekday_lines
from bot.views.morning import task_line
from bot.views.planning import capacity_words
from bot.views.recurring import repeating_line
from storage.models import ListedTask, Person

plan_app = typer.Typer(no_args_is_help=True, add_completion=False, help="Co-workers' lists.")

Coworker = Annotated[str, typer.Argument(help="The co-worker: name or #id")]
Task = Annotated[str, typer.Argument(help="The catalogue task: title or #id")]
At = Annotated[str | None, typer.Option("--time", help="Time of day, e.g. 10:00")]


def _day(text: str | None, services: Services) -> date:
    if text is None:
        return services.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise OrganisationError("org.bad_moment", text=text) from None


@plan_app.command("repeat")
@writes
async def repeat_command(
    services: Services,
    session: AsyncSession,
    t: PlainTexts,
    coworker: Coworker,
    task: Task,
    days: Annotated[str, typer.Option(help="mon-fri, mon,wed,fri …")] = "mon-fri",
    every_other_week: Annotated[bool, typer.Option(help="Every other week")] = False,
    start: Annotated[str | None, typer.Option("--from", help="First date (default today)")] = None,
    at: At = None,
) -> list[str]:
    """Plan a task for a co-worker on repeat."""
    row = await add_task.repeat(
        services,
        session,
        coworker,
        task,
        weekdays=rota.parse_days(days),
        every_other_week=every_other_week,
        starts_on=_day(start, services),
        at=rota.parse_clock(at) if at else None,
    )
    return [t("plan.repeat_saved", id=row.id, rule=row.rrule)]


@plan_app.command("once")
@writes
async def once_command(
    services: Services,
    session: AsyncSession,
    t: PlainTexts,
    coworker: Coworker,
    task: Task,
    on: Annotated[str | None, typer.Option("--date", help="The day (default today)")] = None,
    at: At = None,
) -> list[str]:
    """Put a task on one day's list."""
    day = _day(on, services)
    await add_task.once(
        services,
        session,
        coworker,
        task,
        day=day,
        at=rota.parse_clock(at) if at else None,
    )
    return [t("plan.once_saved", day=day.isoformat())]


@plan_app.command("draft")
@writes
async def draft_command(
    services: Services,
    session: AsyncSession,
    t: PlainTexts,
    coworker: Coworker,
    on: Annotated[str | None, typer.Option("--date", help="The day (default today)")] = None,
) -> list[str]:
    """Draft a co-worker's list for a day now (it is also done every evening)."""
    person = await find_coworker(session, coworker)
    result = await drafting.draft_day(services, session, person, _day(on, services))
    return [t(f"plan.outcome.{result.outcome.value}")]


@plan_app.command("show")
@reads
async def show_command(
    services: Services,
    session: AsyncSession,
    t: PlainTexts,
    coworker: Coworker,
    on: Annotated[str | None, typer.Option("--date", help="The day (default today)")] = None,
) -> list[str]:
    """Show a co-worker's list for a day, as it stands."""
    day = _day(on, services)
    person, plan = await plans.show(services, session, coworker, day)
    if plan is None or not plan.tasks:
        return [t("plan.empty", name=person.display_name, day=day.isoformat())]
    head = t(
        "plan.header",
        name=person.display_name,
        day=day.isoformat(),
        status=t(f"plan.status.{plan.status.value}"),
    )
    html = Texts(t.language)  # the day view's line, as the chat shows it
    lines = (task_line(html, n, ListedTask.of(task), day) for n, task in enumerate(plan.tasks, 1))
    return [head, *lines]


@plan_app.command("capacity")
@writes_when("points", "usual")
async def capacity_command(
    services: Services,
    session: AsyncSession,
    t: PlainTexts,
    coworker: Coworker,
    points: Annotated[
        int | None, typer.Argument(help="Stamina points a day (1-12); leave out to see it")
    ] = None,
    weekday: Annotated[
        str | None,
        typer.Option("--weekday", help="Only this weekday, e.g. mon or måndag (lighter Mondays)"),
    ] = None,
    usual: Annotated[
        bool, typer.Option("--usual", help="With --weekday: that day follows the usual stamina")
    ] = False,
) -> list[str]:
    """See or set a co-worker's stamina (ork): the strain a day's list may hold, for every
    day or for one weekday."""
    person = await find_coworker(session, coworker)
    if weekday is not None:
        day = _weekday(weekday)
        if points is not None or usual:
            await capacity.set_weekday_capacity(
                services, session, person, day, None if usual else points
            )
    elif usual:
        raise OrganisationError("capacity.usual_needs_weekday")
    elif points is not None:
        await capacity.set_capacity(services, session, person, points)
    html = Texts(t.language)
    words = plain(capacity_words(html, person.capacity))
    shown = t("capacity.shown", name=person.display_name, words=words, points=person.capacity)
    return [shown, *(plain(line) for line in weekday_lines(html, person))]


def _weekday(text: str) -> int:
    """0 (Monday) to 6 from mon, monday, mån, måndag …"""
    found = rota.WEEKDAYS.get(text.strip().lower())
    if found is None:
        raise OrganisationError("capacity.bad_weekday", day=text)
    return found


repeats_app = typer.Typer(
    no_args_is_help=True, add_completion=False, help="A co-worker's recurring tasks."
)
plan_app.add_typer(repeats_app, name="repeats")


@repeats_app.command("list")
@reads
async def repeats_list(
    services: Services, session: AsyncSession, t: PlainTexts, coworker: Coworker
) -> list[str]:
    """List a co-worker's recurring tasks: days, time and any pause."""
    person = await find_coworker(session, coworker)
    found = await recurring.of_coworker(session, person)
    if not found:
        return [t("repeat.none", name=person.display_name)]
    html = Texts(t.language)
    return [repeating_line(html, each, services.today()) for each in found]


async def _recurring_task(
    session: AsyncSession, coworker: str, task: str
) -> tuple[Person, Repeating]:
    person = await find_coworker(session, coworker)
    return person, await recurring.find_for(session, person, task)


def _as_it_is_now(services: Services, t: PlainTexts, person: Person, found: Repeating) -> list[str]:
    if not found.recurrence.active:
        return [t("repeat.ended", title=found.template.title, name=person.display_name)]
    return [repeating_line(Texts(t.language), found, services.today())]


@repeats_app.command("pause")
@writes
async def repeats_pause(
    services: Services,
    session: AsyncSession,
    t: PlainTexts,
    coworker: Coworker,
    task: Task,
    first: Annotated[str, typer.Option("--from", help="First day of the pause")],
    last: Annotated[str, typer.Option("--to", help="Last day of the pause")],
) -> list[str]:
    """Pause a recurring task from one date to another (both included)."""
    person, found = await _recurring_task(session, coworker, task)
    begin, end = _day(first, services), _day(last, services)
    await recurring.pause(services, session, person, found, begin, end)
    return _as_it_is_now(services, t, person, found)


@repeats_app.command("resume")
@writes
async def repeats_resume(
    services: Services, session: AsyncSession, t: PlainTexts, coworker: Coworker, task: Task
) -> list[str]:
    """End a pause now."""
    person, found = await _recurring_task(session, coworker, task)
    await recurring.resume(services, session, person, found)
    return _as_it_is_now(services, t, person, found)


@repeats_app.command("change")
@writes
async def repeats_change(
    services: Services,
    session: AsyncSession,
    t: PlainTexts,
    coworker: Coworker,
    task: Task,
    days: Annotated[str | None, typer.Option(help="New days: mon-fri, mon,wed …")] = None,
    at: At = None,
    no_time: Annotated[bool, typer.Option("--no-time", help="No set time of day")] = False,
) -> list[str]:
    """Change a recurring task's days or its time of day."""
    person, found = await _recurring_task(session, coworker, task)
    if days is not None:
        await recurring.change_days(services, session, person, found, rota.parse_days(days))
    if at is not None or no_time:
        clock = None if no_time else rota.parse_clock(at or "")
        await recurring.change_time(services, session, person, found, clock)
    return _as_it_is_now(services, t, person, found)


@repeats_app.command("end")
@writes
async def repeats_end(
    services: Services, session: AsyncSession, t: PlainTexts, coworker: Coworker, task: Task
) -> list[str]:
    """End a recurring task: it is planned no more, from today's draft on."""
    person, found = await _recurring_task(session, coworker, task)
    await recurring.end(services, session, person, found)
    return _as_it_is_now(services, t, person, found)
