"""Staff's own duty in chat: ``/away``, ``/back``, ``/duty`` and ``/rota``."""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import CommandHandler

from bot.context import Services
from bot.i18n import Texts
from bot.services.errors import OrganisationError
from bot.services.people import lookup
from bot.services.people import rota as rota_service
from bot.services.privacy import audit
from bot.telegram.rendered import Rendered
from bot.telegram.reply import answer
from bot.views import rota as views
from handlers.common import Context, services_of
from handlers.doors import staff_door
from storage.models import Person

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _ref(person: Person) -> str:
    return f"#{person.id}"


def _away_period(args: list[str], services: Services) -> tuple[str, str, str | None] | None:
    """``[FROM [TO]] [reason …]`` as local dates; no dates means today."""
    words = [w for arg in args for w in arg.replace("–", " ").split()]
    dates: list[str] = []
    while words and DATE.match(words[0]) and len(dates) < 2:
        dates.append(words.pop(0))
    if not dates:
        if words:
            return None
        dates = [services.today().isoformat()]
    reason = " ".join(words) or None
    return dates[0], dates[-1], reason


@staff_door(None)
async def away(update: Update, context: Context, person: Person) -> None:
    t, services = Texts(person.language), services_of(context)
    period = _away_period(context.args or [], services)
    if period is None:
        await answer(update, Rendered(t("rota.away_usage")))
        return
    first, last, reason = period
    try:
        async with services.sessions.begin() as session:
            starts = rota_service.parse_moment(first, services)
            ends = rota_service.parse_moment(last, services, end=True)
            if first == services.today().isoformat():
                starts = min(starts, services.now())
            absence = await rota_service.add_absence(
                services, session, _ref(person), starts, ends, reason
            )
            await audit.record(services, session, actor=person, subject=person, action="rota.away")
    except OrganisationError as error:
        await answer(update, Rendered(error.text(t)))
        return
    await answer(update, views.away(t, absence, services.zone))


@staff_door(None)
async def back(update: Update, context: Context, person: Person) -> None:
    t, services = Texts(person.language), services_of(context)
    try:
        async with services.sessions.begin() as session:
            await rota_service.end_absence(services, session, _ref(person))
    except OrganisationError as error:
        await answer(update, Rendered(error.text(t)))
        return
    await answer(update, Rendered(t("rota.back")))


@staff_door(None)
async def duty(update: Update, context: Context, person: Person) -> None:
    t, services = Texts(person.language), services_of(context)
    async with services.sessions() as session:
        groups = await lookup.groups_for(session, person)
        duties = [
            await rota_service.on_duty_now(services, session, f"#{group.id}") for group in groups
        ]
    await answer(update, views.duty(t, duties, services.zone))


@staff_door(None)
async def rota(update: Update, context: Context, person: Person) -> None:
    """``/rota`` shows your weekly hours; ``/rota mon-fri 07:00-16:00`` sets them."""
    t, services = Texts(person.language), services_of(context)
    args = context.args or []
    try:
        async with services.sessions.begin() as session:
            if not args:
                _, rows = await rota_service.list_shifts(services, session, _ref(person))
            elif len(args) == 2 and args[1].count("-") == 1:
                start, end = (rota_service.parse_clock(x) for x in args[1].split("-"))
                shifts = [(day, start, end) for day in rota_service.parse_days(args[0])]
                _, rows = await rota_service.set_shifts(services, session, _ref(person), shifts)
            else:
                await answer(update, Rendered(t("rota.usage")))
                return
    except OrganisationError as error:
        await answer(update, Rendered(error.text(t)))
        return
    await answer(update, views.shifts(t, rows))


def handlers() -> list[CommandHandler[Context, None]]:
    return [
        CommandHandler("away", away),
        CommandHandler("back", back),
        CommandHandler("duty", duty),
        CommandHandler("rota", rota),
    ]
