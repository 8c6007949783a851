"""``vardag plan …``: plan catalogue tasks for a co-worker, draft a day, show a list."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli_org import _run
from bot.i18n import PlainTexts, Texts
from bot.services import drafting, rota, schedule
from bot.services.context import Services
from bot.services.organisation import OrganisationError, find_coworker
from bot.views.day import task_line

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
        row = await schedule.repeat(
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
        await schedule.once(
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
        person, plan = await schedule.show(services, session, coworker, day)
        if plan is None or not plan.tasks:
            return [t("plan.empty", name=person.display_name, day=day.isoformat())]
        head = t(
            "plan.header",
            name=person.display_name,
            day=day.isoformat(),
            status=t(f"plan.status.{plan.status.value}"),
        )
        html = Texts(t.language)  # the day view's line, as the chat shows it
        return [head, *(task_line(html, n, task) for n, task in enumerate(plan.tasks, 1))]

    _run(work)
