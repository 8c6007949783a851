"""Property-based: any text, caption, name, task title or button data goes through the
real handlers and views without an error, and every message the bot sends is valid HTML
(the sandbox parses it as Telegram does and refuses what Telegram would refuse, which
would surface here as an error). Examples are bounded so the file runs in well under a
minute."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.context import Services
from bot.sandbox.client import SandboxClient
from bot.services.planning import plans as planning
from bot.telegram.callbacks import Action
from storage.models import Person, TaskTemplate, TemplateStep
from tests.e2e.conftest import RunningBot
from tests.e2e.helpers import new_bot_message, open_today, seen
from tests.e2e.test_relay import ANNA, KIM, a_group, at

ERROR = "Något gick fel"
EXAMPLES = settings(
    max_examples=12,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: each example is a chat round
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _sendable(text: str) -> bool:
    """Telegram (and the sandbox) refuses a message that is empty once control
    characters are blanked and the ends trimmed: no person can send one."""
    blanked = "".join(" " if ord(ch) < 32 and ch != "\n" else ch for ch in text if ch != "\r")
    return text.strip() != "" and blanked.strip(" \n") != ""


# What a person can type: anything but lone surrogates; Telegram trims the ends.
TYPED = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=120).filter(
    _sendable
)
HOSTILE = st.sampled_from(["<", ">", "&", "&amp;", "<b>", "</b>", "'", '"', "&#0;", "\x00", "\\"])
MIXED = st.lists(st.one_of(TYPED, HOSTILE), min_size=1, max_size=4).map("".join).filter(_sendable)


@pytest.fixture
async def errors(running_bot: RunningBot) -> AsyncIterator[list[BaseException]]:
    """Every error a handler raised (python-telegram-bot calls each error handler)."""
    caught: list[BaseException] = []

    async def record(_update: object, context: object) -> None:
        error = getattr(context, "error", None)
        if error is not None:
            caught.append(error)

    running_bot.application.add_error_handler(record)
    yield caught
    running_bot.application.remove_error_handler(record)


@pytest.fixture
async def group(running_bot: RunningBot, people: SandboxClient) -> None:
    await a_group(running_bot, people)
    at(running_bot, 9)


def no_error_shown(texts: list[str]) -> None:
    assert not [t for t in texts if t.startswith(ERROR)], texts


@EXAMPLES
@given(body=MIXED, as_caption=st.booleans())
async def test_any_text_or_caption_from_a_coworker(
    running_bot: RunningBot,
    people: SandboxClient,
    group: None,
    errors: list[BaseException],
    body: str,
    as_caption: bool,
) -> None:
    kims, annas = await seen(people, KIM), await seen(people, ANNA)
    if as_caption:
        await people.send_photo(KIM, caption=body[:1024])
    else:
        await people.send_text(KIM, body)
    receipt = await new_bot_message(people, KIM, kims)
    assert receipt.text == "Skickat till Anna."
    await people.wait_for(ANNA, lambda m: m.from_bot and m.message_id not in annas)
    assert errors == []


async def _rename_and_plan(services: Services, name: str, title: str, step: str) -> None:
    async with services.sessions.begin() as session:
        kim = await session.scalar(select(Person).where(Person.telegram_user_id == KIM))
        assert kim is not None
        kim.display_name = name[:120]
        template = TaskTemplate(
            title=title[:120],
            instructions=step,
            goal=step,
            created_at=services.now(),
            steps=[TemplateStep(position=1, text=step[:200])],
            attachments=[],
        )
        session.add(template)
        await session.flush()
        await planning.add_task(
            services, session, coworker=kim, template=template, day=services.today()
        )


def _from_the_clock(text: str) -> bool:
    """The morning list or its check-in, which the outbox sends when it is due."""
    return text.startswith(("God morgon", "Hur mår du"))


@EXAMPLES
@given(name=MIXED, title=MIXED, step=MIXED)
async def test_any_name_title_and_step_is_shown_as_written(
    running_bot: RunningBot,
    people: SandboxClient,
    group: None,
    errors: list[BaseException],
    name: str,
    title: str,
    step: str,
) -> None:
    await _rename_and_plan(running_bot.services, name, title, step)
    # The task added for today brings Kim's (late) morning list and its check-in
    # through the outbox at any moment, so each answer is waited for by what it is.
    listing = await open_today(people, KIM)  # /today's list, or the morning list
    kims = await seen(people, KIM)
    assert listing.reply_markup is not None
    newest = listing.reply_markup[-2][0]  # the task just added (the last row is "help")
    await people.press(KIM, listing.message_id, data=newest.callback_data)
    await people.wait_for(  # its card: title, goal and steps
        KIM, lambda m: m.from_bot and m.message_id not in kims and not _from_the_clock(m.text)
    )
    annas = await seen(people, ANNA)
    await people.send_text(ANNA, "/team")
    await new_bot_message(people, ANNA, annas)  # Kim's name
    assert errors == []
    no_error_shown([m.text for m in await people.bot_messages(KIM)])


@EXAMPLES
@given(
    data=st.one_of(
        st.text(max_size=64).filter(lambda s: len(s.encode()) <= 64),
        st.builds(
            "{}:{}".format,
            st.sampled_from([a.value for a in Action]),
            st.integers(min_value=0, max_value=10**18 - 1),
        ),
    )
)
async def test_any_button_data_gets_an_answer(
    running_bot: RunningBot,
    people: SandboxClient,
    group: None,
    errors: list[BaseException],
    data: str,
) -> None:
    messages = await people.bot_messages(KIM)
    for presser in (KIM, ANNA):
        on = (await people.bot_messages(presser))[-1] if presser == ANNA else messages[-1]
        pressed = await people.press(presser, on.message_id, data=data)
        answer = await people.wait_for_answer(pressed)
        assert not (answer["text"] or "").startswith(ERROR)
    assert errors == []
