"""``vardag plan …``: plan catalogue tasks for a co-worker, draft a day, show a list."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.org import _run
from bot.i18n import PlainTexts, Texts, plain
from bot.services.context import Services
from bot.services.people import rota
from bot.services.people.organisation import OrganisationError, find_coworker
from bot.services.planning import add_task, capacity, drafting, plans, recurring
from bot.views.capacity import weekday_lines
from bot.views.morning import task_line
from bot.views.planning import capacity_words
from bot.views.recurring import repeating_line
from storage.models import Person

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
def repeat_command(
    coworker: Coworker,
    task: Task,
    days: Annotated[str, typer.Option(help="mon-fri, mon,wed,fri …")] = "mon-fri",
    every_other_week: Annotated[bool, typer.Option(help="Every other week")] = False,
    start: Annotated[str | None, typer.Option("--from", help="First date (default today)")] = None,
    at: At = None,
) -> None:
    """Plan a task for a co-worker on repeat."""

    async def work(services: Services, session: AsyncSession, t: PlainTexts) -> list[str]:
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

    _run(work)


@plan_app.command("once")
def once_command(
    coworker: Coworker,
    task: Task,
    on: Annotated[str | None, typer.Option("--date", help="The day (default today)")] = None,
    at: At = None,
) -> None:
    """Put a task on one day's list."""

    async def work(services: Services, session: AsyncSession, t: PlainTexts) -> list[str]:
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

    _run(work)


@plan_app.command("draft")
def draft_command(
    coworker: Coworker,
    on: Annotated[str | None, typer.Option("--date", help="The day (default today)")] = None,
) -> None:
    """Draft a co-worker's list for a day now (it is also done every evening)."""

    async def work(services: Services, session: AsyncSession, t: PlainTexts) -> list[str]:
        person = await find_coworker(session, coworker)
        result = await drafting.draft_day(services, session, person, _day(on, services))
        return [t(f"plan.outcome.{result.outcome.value}")]

    _run(work)


@plan_app.command("show")
def show_command(
    coworker: Coworker,
    on: Annotated[str | None, typer.Option("--date", help="The day (default today)")] = None,
) -> None:
    """Show a co-worker's list for a day, as it stands."""

    async def work(services: Services, session: AsyncSession, t: PlainTexts) -> list[str]:
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
        return [head, *(task_line(html, n, task, day) for n, task in enumerate(plan.tasks, 1))]

    _run(work)


@plan_app.command("capacity")
def capacity_command(
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
) -> None:
    """See or set a co-worker's stamina (ork): the strain a day's list may hold, for every
    day or for one weekday."""

    async def work(services: Services, session: AsyncSession, t: PlainTexts) -> list[str]:
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

    _run(work)


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
def repeats_list(coworker: Coworker) -> None:
    """List a co-worker's recurring tasks: days, time and any pause."""

    async def work(services: Services, session: AsyncSession, t: PlainTexts) -> list[str]:
        person = await find_coworker(session, coworker)
        found = await recurring.of_coworker(session, person)
        if not found:
            return [t("repeat.none", name=person.display_name)]
        html = Texts(t.language)
        return [repeating_line(html, each, services.today()) for each in found]

    _run(work)


def _repeating(
    work: Callable[[Services, AsyncSession, Person, recurring.Repeating], Awaitable[None]],
    coworker: str,
    task: str,
) -> None:
    """Find the co-worker's recurring task, do ``work`` on it, and show it as it is now."""

    async def go(services: Services, session: AsyncSession, t: PlainTexts) -> list[str]:
        person = await find_coworker(session, coworker)
        found = await recurring.find_for(session, person, task)
        await work(services, session, person, found)
        if not found.recurrence.active:
            return [t("repeat.ended", title=found.template.title, name=person.display_name)]
        return [repeating_line(Texts(t.language), found, services.today())]

    _run(go)


@repeats_app.command("pause")
def repeats_pause(
    coworker: Coworker,
    task: Task,
    first: Annotated[str, typer.Option("--from", help="First day of the pause")],
    last: Annotated[str, typer.Option("--to", help="Last day of the pause")],
) -> None:
    """Pause a recurring task from one date to another (both included)."""

    async def work(
        services: Services, session: AsyncSession, person: Person, found: recurring.Repeating
    ) -> None:
        begin, end = _day(first, services), _day(last, services)
        await recurring.pause(services, session, person, found, begin, end)

    _repeating(work, coworker, task)


@repeats_app.command("resume")
def repeats_resume(coworker: Coworker, task: Task) -> None:
    """End a pause now."""

    async def work(
        services: Services, session: AsyncSession, person: Person, found: recurring.Repeating
    ) -> None:
        await recurring.resume(services, session, person, found)

    _repeating(work, coworker, task)


@repeats_app.command("change")
def repeats_change(
    coworker: Coworker,
    task: Task,
    days: Annotated[str | None, typer.Option(help="New days: mon-fri, mon,wed …")] = None,
    at: At = None,
    no_time: Annotated[bool, typer.Option("--no-time", help="No set time of day")] = False,
) -> None:
    """Change a recurring task's days or its time of day."""

    async def work(
        services: Services, session: AsyncSession, person: Person, found: recurring.Repeating
    ) -> None:
        if days is not None:
            await recurring.change_days(services, session, person, found, rota.parse_days(days))
        if at is not None or no_time:
            clock = None if no_time else rota.parse_clock(at or "")
            await recurring.change_time(services, session, person, found, clock)

    _repeating(work, coworker, task)


@repeats_app.command("end")
def repeats_end(coworker: Coworker, task: Task) -> None:
    """End a recurring task: it is planned no more, from today's draft on."""

    async def work(
        services: Services, session: AsyncSession, person: Person, found: recurring.Repeating
    ) -> None:
        await recurring.end(services, session, person, found)

    _repeating(work, coworker, task)
