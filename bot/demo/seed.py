"""The demo organisation: one group in Swedish, two support persons, four co-workers,
a small task catalogue with checklists, and the tasks planned on every working day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.rules import recurrence
from bot.services.planning import add_task
from storage.models import (
    Attachment,
    AttachmentKind,
    ContactPersons,
    DutyShift,
    Person,
    Role,
    TaskTemplate,
    TemplateStep,
)
from storage.repos import people


@dataclass(frozen=True)
class DemoPerson:
    key: str
    name: str
    telegram_id: int
    role: Role


SUPPORT = (
    DemoPerson("anna", "Anna", 2001, Role.SUPPORT),
    DemoPerson("johan", "Johan", 2002, Role.SUPPORT),
)
COWORKERS = (
    DemoPerson("kim", "Kim", 1001, Role.COWORKER),
    DemoPerson("sara", "Sara", 1002, Role.COWORKER),
    DemoPerson("ali", "Ali", 1003, Role.COWORKER),
    DemoPerson("maja", "Maja", 1004, Role.COWORKER),
)
PEOPLE = SUPPORT + COWORKERS
GROUP = "Rutt 1 – Caféet"

CATALOGUE: tuple[tuple[str, str, str, int, int, tuple[str, ...]], ...] = (
    (
        "Vattna blommorna",
        "Blommorna står i fönstren i caféet och i entrén.",
        "Blommorna mår bra och caféet blir trivsamt för gästerna.",
        1,
        15,
        (
            "Hämta vattenkannan i förrådet.",
            "Fyll den med ljummet vatten.",
            "Ge varje kruka lite vatten.",
            "Ställ tillbaka kannan.",
        ),
    ),
    (
        "Torka av borden",
        "Alla bord i caféet ska torkas innan vi öppnar.",
        "Gästerna ska mötas av rena bord.",
        1,
        20,
        (
            "Hämta trasa och sprayflaska.",
            "Torka varje bord, även kanterna.",
            "Skölj trasan och häng den på tork.",
        ),
    ),
    (
        "Packa kaffepaket",
        "Packa kaffe i påsar om 500 gram till butiken. Artikelnummer 4711.",
        "Butiken har kaffe att sälja i veckan.",
        2,
        45,
        (
            "Ta på förkläde och tvätta händerna.",
            "Väg upp 500 gram i varje påse.",
            "Försegla påsen.",
            "Sätt en etikett på påsen.",
            "Ställ påsarna i backen.",
        ),
    ),
    (
        "Ta emot leverans",
        "Leveransen kommer till bakdörren. Räkna kartongerna mot följesedeln.",
        "Vi vet att vi fått det vi beställt.",
        3,
        40,
        (
            "Öppna bakdörren när bilen kommer.",
            "Räkna kartongerna.",
            "Jämför med följesedeln.",
            "Ställ kartongerna i förrådet.",
        ),
    ),
)


async def seed_demo(
    services: Services, morning: time, day: date, photo_file_id: str | None = None
) -> dict[str, Person]:
    """Create the demo organisation: every co-worker has two tasks on every working day
    from ``day``, their lists delivered at ``morning``. ``photo_file_id`` is a picture the
    Bot API knows, shown with the first task."""
    now = services.now()
    async with services.sessions.begin() as session:
        group = await people.get_or_create_group(session, GROUP, now)
        group.phone = "08-123 45 67"
        persons: dict[str, Person] = {}
        for demo in PEOPLE:
            person = await people.add_person(
                session,
                name=demo.name,
                role=demo.role,
                now=now,
                group=group,
                telegram_user_id=demo.telegram_id,
            )
            person.morning_time = morning
            persons[demo.key] = person
        await _rota_and_contacts(session, persons)
        templates = await _catalogue(session, services, persons["anna"])
        _attach(templates, photo_file_id)
        for index, key in enumerate(c.key for c in COWORKERS):
            mine = [templates[index % 2], templates[2 + index % 2]]
            for n, template in enumerate(mine):
                await add_task.plan_repeat(
                    services,
                    session,
                    coworker=persons[key],
                    template=template,
                    preset=recurrence.Preset.WEEKDAYS,
                    starts_on=day,
                    at=time(9 + 4 * n, 0),
                    actor=persons["anna"],
                )
    return persons


async def _rota_and_contacts(session: AsyncSession, persons: dict[str, Person]) -> None:
    for key in ("anna", "johan"):
        for weekday in range(5):
            session.add(
                DutyShift(
                    person_id=persons[key].id,
                    weekday=weekday,
                    start_time=time(7),
                    end_time=time(16),
                )
            )
    for n, demo in enumerate(COWORKERS):
        primary, secondary = ("anna", "johan") if n % 2 == 0 else ("johan", "anna")
        session.add(
            ContactPersons(
                coworker_id=persons[demo.key].id,
                primary_id=persons[primary].id,
                secondary_id=persons[secondary].id,
            )
        )


def _attach(templates: list[TaskTemplate], photo_file_id: str | None) -> None:
    """A picture of where things are, and a place on the map: what the method asks for
    with a task done for the first time."""
    if photo_file_id is not None:
        templates[0].attachments.append(
            Attachment(
                kind=AttachmentKind.PHOTO,
                telegram_file_id=photo_file_id,
                caption="Vattenkannan står på hyllan i förrådet.",
            )
        )
    templates[3].attachments.append(
        Attachment(
            kind=AttachmentKind.LOCATION,
            latitude=59.33236,
            longitude=18.06471,
            caption="Bakdörren, på gården.",
        )
    )


async def _catalogue(
    session: AsyncSession, services: Services, author: Person
) -> list[TaskTemplate]:
    templates = []
    for title, instructions, goal, strain, minutes, steps in CATALOGUE:
        template = TaskTemplate(
            title=title,
            instructions=instructions,
            goal=goal,
            strain=strain,
            expected_minutes=minutes,
            created_by_id=author.id,
            created_at=services.now(),
            steps=[TemplateStep(position=n, text=text) for n, text in enumerate(steps, 1)],
            attachments=[],
        )
        session.add(template)
        templates.append(template)
    await session.flush()
    return templates
