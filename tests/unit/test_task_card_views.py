"""The co-worker's task card and help answers: short (at most 60 words, except a
first-time card's own instructions), in both languages, with the agreed buttons."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import LANGUAGES, Texts
from bot.telegram.callbacks import Action, decode
from bot.telegram.rendered import Rendered
from bot.views.help import help_receipt, help_request, when_in_words
from bot.views.morning import morning_list, no_tasks, old_list, task_card
from bot.views.task_card import ask_reason, confirm_done, done_card, put_off, step_progress
from storage.models import (
    Attachment,
    AttachmentKind,
    DayList,
    DayPlan,
    Group,
    Person,
    PlannedTask,
    Role,
    TaskStatus,
    TaskTemplate,
    TemplateStep,
)

MAX_WORDS = 60
ZONE = ZoneInfo("Europe/Stockholm")
TUESDAY = date(2026, 11, 24)
STEPS = ("Hämta kannan i förrådet.", "Fyll kannan med vatten.", "Vattna varje kruka lite.")


def words(text: str) -> int:
    return len(re.findall(r"\w+", re.sub(r"<[^>]+>", "", text)))


def template(**details: object) -> TaskTemplate:
    values: dict[str, object] = {
        "title": "Vattna blommorna",
        "instructions": "Blommorna står i fönstren i matsalen.",
        "goal": "Blommorna mår bra och rummet blir trevligt.",
        "expected_minutes": 20,
        "steps": [TemplateStep(position=n, text=s) for n, s in enumerate(STEPS, 1)],
        "attachments": [
            Attachment(
                position=1, kind=AttachmentKind.PHOTO, telegram_file_id="AgAD", caption="Här"
            ),
            Attachment(position=2, kind=AttachmentKind.LINK, url="https://example.org/blommor"),
        ],
        "support_part": None,
    }
    return TaskTemplate(**(values | details))


def task(
    status: TaskStatus = TaskStatus.OPEN,
    *,
    first_time: bool = False,
    steps_done: tuple[int, ...] = (),
    with_support: bool = False,
    made: TaskTemplate | None = None,
    reason: str | None = None,
) -> PlannedTask:
    return PlannedTask(
        id=42,
        template=made or template(),
        status=status,
        first_time=first_time,
        steps_done=list(steps_done),
        with_support=with_support,
        not_today_reason=reason,
    )


def kim() -> Person:
    return Person(id=7, display_name="Kim", role=Role.COWORKER, language="sv")


def anna() -> Person:
    return Person(id=8, display_name="Anna", role=Role.SUPPORT, language="sv")


def group() -> Group:
    return Group(id=1, name="Rutt 1", phone="08-123 45 67")


def labels(rendered: Rendered) -> list[str]:
    return [b.label for row in rendered.rows for b in row]


def actions(rendered: Rendered) -> list[Action]:
    return [b.callback.action for row in rendered.rows for b in row]


def coworker_messages(t: Texts) -> list[Rendered]:
    """Every message a co-worker gets from the card and help, in its longest form."""
    nine = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
    receipts = [
        help_receipt(
            t, told=told, told_at=at, told_on_duty=on, group=group(), zone=ZONE, today=TUESDAY
        )
        for told, at, on in (
            (anna(), None, True),
            (anna(), nine, False),
            (anna(), None, False),
            (None, None, False),
        )
    ]
    plan = DayPlan(
        day=TUESDAY,
        tasks=[
            task(first_time=True, with_support=True),
            task(TaskStatus.NOT_TODAY),
            task(TaskStatus.HELP, made=template(title="Packa kaffepaket till kunderna")),
        ],
    )
    return [
        task_card(t, task()),
        confirm_done(t, task(steps_done=(0,))),
        ask_reason(t, task()),
        put_off(t, task(TaskStatus.NOT_TODAY, reason="tired")),
        done_card(t, task(TaskStatus.DONE).template.title),
        morning_list(t, kim(), DayList.of(plan)),
        no_tasks(t, TUESDAY),
        old_list(t),
        *receipts,
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_at_most_sixty_words(language: str) -> None:
    for rendered in coworker_messages(Texts(language)):
        assert words(rendered.text) <= MAX_WORDS, rendered.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_card_with_its_steps_is_short_apart_from_the_steps(language: str) -> None:
    t = Texts(language)
    for shown in (
        task_card(t, task(TaskStatus.NOT_TODAY, with_support=True), steps_shown=True),
        task_card(t, task(TaskStatus.HELP, steps_done=(0,)), steps_shown=True),
    ):
        assert words(shown.text) - sum(words(step) for step in STEPS) <= MAX_WORDS, shown.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_first_time_card_is_short_apart_from_the_instructions(language: str) -> None:
    t = Texts(language)
    made = template(support_part="Anna ringer kunden.")
    card = task_card(t, task(first_time=True, with_support=True, made=made))
    own = [made.title, made.instructions, made.goal, "Anna ringer kunden.", *STEPS]
    assert words(card.text) - sum(words(text) for text in own) <= MAX_WORDS, card.text


def test_a_first_time_card_has_everything_and_ticks_its_steps() -> None:
    t = Texts("sv")
    card = task_card(t, task(first_time=True, steps_done=(1,)))
    assert card.text.startswith("<b>Vattna blommorna</b>\nBlommorna står i fönstren i matsalen.")
    assert "Målet: Blommorna mår bra och rummet blir trevligt." in card.text
    assert "🔗 https://example.org/blommor" in card.text
    assert "Du har gjort 1 av 3 steg." in card.text
    assert labels(card) == [
        "☐ 1. Hämta kannan i förrådet.",
        "☑ 2. Fyll kannan med vatten.",
        "☐ 3. Vattna varje kruka lite.",
        "✅ Klar",
        "🙋 Jag behöver hjälp",
        "⏰ Senare",
        "🌙 Inte idag",
    ]
    ticks = [b.callback for row in card.rows for b in row][:3]
    assert [c.target for c in ticks] == [4200, 4201, 4202]
    assert [c.action for c in ticks] == [Action.TICK_STEP] * 3


def test_a_familiar_card_offers_its_steps() -> None:
    t = Texts("sv")
    card = task_card(t, task())
    assert card.text == "<b>Vattna blommorna</b>\nDet tar ungefär 20 minuter."
    assert actions(card) == [
        Action.SHOW_STEPS,
        Action.DONE,
        Action.HELP,
        Action.LATER,
        Action.NOT_TODAY,
    ]
    bare = task_card(t, task(made=template(steps=[], attachments=[])))
    assert Action.SHOW_STEPS not in actions(bare)


def test_a_long_step_is_cut_on_its_button_only() -> None:
    long = "Torka av alla bord i matsalen, också de som står vid fönstren."
    made = template(steps=[TemplateStep(position=1, text=long)])
    card = task_card(Texts("sv"), task(first_time=True, made=made))
    assert f"1. {long}" in card.text
    first = labels(card)[0]
    assert first.startswith("☐ 1. Torka av alla bord") and first.endswith("…")
    assert len(first) <= 40


def test_progress_in_words() -> None:
    t = Texts("sv")
    assert step_progress(t, task()) == "Tryck på ett steg när du har gjort det."
    assert step_progress(t, task(steps_done=(0, 2))) == "Du har gjort 2 av 3 steg."
    assert step_progress(t, task(steps_done=(0, 1, 2))) == "Alla steg är gjorda. Tryck på ✅ Klar."
    # An index the template no longer has does not count.
    assert step_progress(t, task(steps_done=(5,))) == "Tryck på ett steg när du har gjort det."


def test_not_today_reasons_and_answers() -> None:
    t = Texts("sv")
    asked = ask_reason(t, task())
    assert labels(asked) == ["😴 Jag är trött", "⏳ Jag hann inte", "Något annat", "Vill inte säga"]
    assert [b.callback.encode() for row in asked.rows for b in row] == [
        "z:420",
        "z:421",
        "z:422",
        "z:423",
    ]
    assert put_off(t, task(TaskStatus.NOT_TODAY)).text.endswith("Okej. Vi tar det en annan dag.")
    assert put_off(t, task(TaskStatus.NOT_TODAY, reason="other")).text.endswith(
        "Tack för att du sa det."
    )


def test_the_question_before_done() -> None:
    question = confirm_done(Texts("sv"), task(steps_done=(0,)))
    assert question.text == "<b>Vattna blommorna</b>\n\nDu har gjort 1 av 3 steg.\nÄr allt klart?"
    assert [(b.label, b.callback.encode()) for row in question.rows for b in row] == [
        ("✅ Ja, allt är klart", "j:42"),
        ("Inte än", "v:42"),
    ]


def test_the_morning_list_ends_with_help_and_marks_what_waits() -> None:
    plan = DayPlan(
        day=TUESDAY,
        tasks=[task(TaskStatus.DONE), task(TaskStatus.NOT_TODAY), task(TaskStatus.HELP)],
    )
    rendered = morning_list(Texts("sv"), kim(), DayList.of(plan))
    assert "🌙 2. Vattna blommorna (inte idag)" in rendered.text
    assert "🙋 3. Vattna blommorna (bett om hjälp)" in rendered.text
    assert labels(rendered)[-1] == "🙋 Jag behöver hjälp"
    assert rendered.rows[-1][0].callback.encode() == "q:0"
    assert decode(rendered.rows[-1][0].callback.encode()) == rendered.rows[-1][0].callback


def test_help_request_for_staff() -> None:
    t = Texts("sv")
    at = datetime(2026, 11, 24, 8, 5, tzinfo=UTC)
    with_task = help_request(t, kim(), task(), group(), at, ZONE)
    assert with_task.text == (
        "🙋 Kim behöver hjälp med <b>Vattna blommorna</b> (kl 09:05).\n"
        "Grupp: Rutt 1\nHör av dig till Kim så snart du kan."
    )
    general = help_request(Texts("en"), kim(), None, None, at, ZONE)
    assert (
        general.text
        == "🙋 Kim needs help (09:05).\nPlease get in touch with Kim as soon as you can."
    )


def test_when_someone_will_see_it_in_words() -> None:
    t = Texts("sv")
    at_seven = time(6, 0)
    today = datetime.combine(TUESDAY, at_seven, tzinfo=UTC)
    assert when_in_words(t, today, ZONE, TUESDAY) == "idag klockan 07:00"
    tomorrow = datetime.combine(date(2026, 11, 25), at_seven, tzinfo=UTC)
    assert when_in_words(t, tomorrow, ZONE, TUESDAY) == "imorgon klockan 07:00"
    monday = datetime.combine(date(2026, 11, 30), at_seven, tzinfo=UTC)
    assert when_in_words(t, monday, ZONE, TUESDAY) == "måndag 30 november klockan 07:00"
