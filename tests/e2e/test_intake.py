"""Updates are taken once and never lost (bot/runtime/intake.py, docs/delivery.md): an update
acknowledged by an instance that then dies is processed by the next one, once; a failed
repeated-update check stops the update, which is tried again; a slow chat does not hold
up another; a conversation started on one instance is finished on another."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from telegram import Update
from telegram.ext import TypeHandler

from bot.config import Settings
from bot.context import Services
from bot.rules.clock import MovableClock
from bot.runtime.app import VardagApp, build_application
from bot.runtime.health import Health
from bot.runtime.intake import intake_of
from bot.runtime.runner import open_runtime, polling, webhook
from bot.sandbox.client import SandboxClient
from bot.telegram.intake_scope import FIRST_LEASE, Scope
from handlers.common import Context
from storage.models import InboxUpdate, Message, Person
from storage.repos import inbox as inbox_repo
from storage.repos import people as people_repo
from tests.conftest import TEST_TOKEN, Database
from tests.e2e.conftest import RunningBot
from tests.e2e.helpers import coworker_with_plan, new_bot_message, seen
from tests.e2e.test_invite_in_chat import BOSS, joined_staff, say
from tests.e2e.test_webhook import SECRET, free_port, post, today_update

KIM, SARA = 1001, 1002


@dataclass
class Instance:
    application: VardagApp
    services: Services
    url: str

    async def take_the_webhook(self) -> None:
        """The "load balancer" sends what comes next to this instance."""
        await self.application.bot.set_webhook(self.url, secret_token=SECRET)


@contextlib.asynccontextmanager
async def instance(
    settings: Settings, clock: MovableClock, database: Database, **overrides: object
) -> AsyncIterator[Instance]:
    """One more instance in webhook mode, on the same database, with an engine of its own."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    settings = settings.model_copy(
        update={
            "webhook_url": url,
            "webhook_listen": "127.0.0.1",
            "webhook_port": port,
            "webhook_secret": SecretStr(SECRET),
            "tick_seconds": 30.0,  # the clock's jobs are not what is tried here
            "update_lease_seconds": 2.0,
        }
        | overrides
    )
    engine = database.engine()
    try:
        async with open_runtime(settings, clock, engine) as runtime:
            application = build_application(runtime.services, TEST_TOKEN)
            async with webhook(application, settings, Health(engine, None)):
                yield Instance(application, runtime.services, url)
    finally:
        await engine.dispose()


async def inbox_row(services: Services, update_id: int) -> InboxUpdate | None:
    async with services.sessions() as session:
        return await session.get(InboxUpdate, update_id)


async def bot_texts(people: SandboxClient, chat: int) -> list[str]:
    return [m.text for m in await people.bot_messages(chat)]


async def test_an_update_acknowledged_by_an_instance_that_then_died_is_processed_once(
    sandbox_settings: Settings,
    clock: MovableClock,
    database: Database,
    services: Services,
    people: SandboxClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await coworker_with_plan(services, name="Kim", telegram_id=KIM, day=services.today())
    await people.add_user(KIM, "Kim", started=True)

    lease = {"update_lease_seconds": 60.0}  # as by default
    async with instance(sandbox_settings, clock, database, **lease) as first:
        # It dies right after answering 200: the update is stored and taken (in one
        # transaction), and nothing more.
        monkeypatch.setattr(intake_of(first.application), "_begin", lambda lane, taken: None)
        assert await post(first.url, today_update(9300, KIM), SECRET) == 200
    stored = await inbox_row(services, 9300)
    assert stored is not None and stored.processed_at is None and stored.lease_token
    assert await bot_texts(people, KIM) == []

    async with instance(sandbox_settings, clock, database, **lease) as second:
        # The dead instance holds the chat for the first lease, not the whole one.
        intake = intake_of(second.application)
        clock.advance(FIRST_LEASE - timedelta(seconds=1))
        assert await intake.sweep() == 0
        clock.advance(timedelta(seconds=2))
        await intake.sweep()  # as the next sweep would (every 5 s)
        shown = await people.wait_for(KIM, lambda m: m.from_bot)
        assert shown.text.startswith("God morgon Kim!")
        assert await post(second.url, today_update(9300, KIM), SECRET) == 200  # again
        assert await post(second.url, today_update(9301, KIM), SECRET) == 200  # then this
        # The chat's updates are processed in order: once 9301 is answered, a second
        # answer to 9300 would be there before it.
        await people.wait_for(KIM, lambda m: m.from_bot and m.message_id > shown.message_id)
    texts = await bot_texts(people, KIM)
    assert len(texts) == 2 and all(t.startswith("God morgon Kim!") for t in texts)
    done = await inbox_row(services, 9300)
    assert done is not None and done.processed_at is not None
    assert (done.outcome, done.attempts) == ("done", 2)  # taken by each instance


async def test_an_update_taken_as_a_stop_begins_is_given_back_for_the_next_instance(
    sandbox_settings: Settings,
    clock: MovableClock,
    database: Database,
    services: Services,
    people: SandboxClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await coworker_with_plan(services, name="Kim", telegram_id=KIM, day=services.today())
    await people.add_user(KIM, "Kim", started=True)
    lease = {"update_lease_seconds": 60.0}
    async with instance(sandbox_settings, clock, database, **lease) as first:
        intake = intake_of(first.application)
        take = intake._taken

        async def taken_as_the_stop_begins(*args: Any) -> Any:
            taken = await take(*args)
            intake._stopping = True  # the instance begins to stop as the update is stored
            return taken

        monkeypatch.setattr(intake, "_taken", taken_as_the_stop_begins)
        assert await post(first.url, today_update(9310, KIM), SECRET) == 200
    given_back = await inbox_row(services, 9310)
    assert given_back is not None and given_back.processed_at is None
    assert given_back.lease_token is None  # not held for its first lease
    assert given_back.attempts == 0  # nor counted as tried
    assert await bot_texts(people, KIM) == []

    async with instance(sandbox_settings, clock, database, **lease) as second:
        shown = await people.wait_for(KIM, lambda m: m.from_bot)  # taken at its start
        assert shown.text.startswith("God morgon Kim!")
        assert intake_of(second.application) is not intake


def taken_a_while_ago(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every update looks taken long enough ago for the repeated-update check to read
    its lease (one taken a moment ago is trusted without asking the database)."""
    monkeypatch.setattr(Scope, "taken_just_now", lambda self, lease: False)


async def test_a_failed_repeated_update_check_stops_the_update_which_is_tried_again(
    running_bot: RunningBot, people: SandboxClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = running_bot.services
    kim, _ = await coworker_with_plan(services, name="Kim", telegram_id=KIM, day=services.today())
    await people.add_user(KIM, "Kim", started=True)
    real_check = inbox_repo.is_held_by
    failures: list[int] = []

    async def database_away_once(session: object, update_id: int, token: str) -> bool:
        if not failures:
            failures.append(update_id)
            raise OperationalError("SELECT", {}, ConnectionError("the database went away"))
        return await real_check(session, update_id, token)  # type: ignore[arg-type]

    monkeypatch.setattr(inbox_repo, "is_held_by", database_away_once)
    taken_a_while_ago(monkeypatch)
    await people.send_text(KIM, "Jag mår inte bra idag")
    receipt = await people.wait_for(KIM, lambda m: m.from_bot)  # after the retry
    await people.send_text(KIM, "/today")  # the chat's next update, after the first
    await people.wait_for(KIM, lambda m: m.from_bot and m.text.startswith("God morgon"))

    assert len(failures) == 1
    texts = await bot_texts(people, KIM)
    assert texts[0] == receipt.text and len(texts) == 2  # one receipt; no "try again"
    async with services.sessions() as session:
        relayed = list(await session.scalars(select(Message)))
        row = await session.get(InboxUpdate, failures[0])
    assert [m.coworker_id for m in relayed] == [kim.id]  # taken once, not twice
    assert row is not None and (row.outcome, row.attempts) == ("done", 2)


async def test_a_slow_chat_does_not_hold_up_another_and_each_chat_keeps_its_order(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    services = running_bot.services
    for name, user in (("Kim", KIM), ("Sara", SARA)):
        await coworker_with_plan(services, name=name, telegram_id=user, day=services.today())
        await people.add_user(user, name, started=True)
    entered, released = asyncio.Event(), asyncio.Event()

    async def slow_for_kim(update: Update, context: Context) -> None:
        if update.effective_chat is not None and update.effective_chat.id == KIM:
            entered.set()
            await released.wait()  # a database or Telegram call that takes its time

    running_bot.application.add_handler(TypeHandler(Update, slow_for_kim), group=-50)
    await people.send_text(KIM, "/today")
    await asyncio.wait_for(entered.wait(), 10)
    await people.send_text(KIM, "/week")  # waits for Kim's first

    await people.send_text(SARA, "/today")
    sara_list = await people.wait_for(SARA, lambda m: m.from_bot and m.text.startswith("God"))
    pressed = await people.press(SARA, sara_list.message_id, text=sara_list.buttons()[0])
    assert (await people.wait_for_answer(pressed))["answered"]
    assert await bot_texts(people, KIM) == []  # Kim's are still being processed

    released.set()
    await people.wait_for(KIM, lambda m: m.from_bot and not m.text.startswith("God morgon"))
    kim_texts = await bot_texts(people, KIM)
    assert kim_texts[0].startswith("God morgon Kim!") and len(kim_texts) == 2  # in order


async def test_a_conversation_started_on_one_instance_is_finished_on_another(
    sandbox_settings: Settings,
    clock: MovableClock,
    database: Database,
    services: Services,
    people: SandboxClient,
) -> None:
    async with (
        instance(sandbox_settings, clock, database) as first,
        instance(sandbox_settings, clock, database) as second,
    ):
        await first.take_the_webhook()
        await joined_staff(services, people)
        await say(people, BOSS, "/invite", "Vem vill du bjuda in?")
        roles = (await people.bot_messages(BOSS))[-1]

        await second.take_the_webhook()
        await people.press(BOSS, roles.message_id, text="medarbetare")
        await people.wait_for(BOSS, lambda m: m.text.startswith("Vad heter personen"))

        await first.take_the_webhook()
        await say(people, BOSS, "Kim Karlsson", "Vilken grupp")
        groups = (await people.bot_messages(BOSS))[-1]

        await second.take_the_webhook()
        known = await seen(people, BOSS)
        await people.press(BOSS, groups.message_id, text="Rutt 2")
        await new_bot_message(people, BOSS, known, "Inbjudan till Kim Karlsson")


async def test_a_typed_morning_time_on_another_instance_is_not_relayed(
    sandbox_settings: Settings,
    clock: MovableClock,
    database: Database,
    services: Services,
    people: SandboxClient,
) -> None:
    await coworker_with_plan(services, name="Kim", telegram_id=KIM, day=services.today())
    await people.add_user(KIM, "Kim", started=True)
    async with (
        instance(sandbox_settings, clock, database) as first,
        instance(sandbox_settings, clock, database) as second,
    ):
        await first.take_the_webhook()
        await say(people, KIM, "/settings", "Vilket språk")
        languages = (await people.bot_messages(KIM))[-1]
        await people.press(KIM, languages.message_id, text="Svenska")
        await people.wait_for(KIM, lambda m: m.text.startswith("När vill du"))

        await second.take_the_webhook()
        answer = await say(people, KIM, "07:30", "Bra!")
    assert answer == "Bra! Din lista kommer klockan 07:30 på morgonen."
    async with services.sessions() as session:
        kim = await people_repo.by_telegram_id(session, KIM)
        relayed = list(await session.scalars(select(Message)))
    assert isinstance(kim, Person) and kim.morning_time.strftime("%H:%M") == "07:30"
    assert relayed == []


async def test_a_press_whose_door_is_slow_is_answered_at_once_and_its_work_follows(
    sandbox_settings: Settings,
    clock: MovableClock,
    database: Database,
    services: Services,
    people: SandboxClient,
) -> None:
    await coworker_with_plan(services, name="Kim", telegram_id=KIM, day=services.today())
    await people.add_user(KIM, "Kim", started=True)
    released = asyncio.Event()

    async def slow_presses(update: Update, context: Context) -> None:
        if update.callback_query is not None:
            await released.wait()  # a database or Telegram call that takes its time

    async with instance(sandbox_settings, clock, database, press_answer_seconds=0.5) as bot:
        bot.application.add_handler(TypeHandler(Update, slow_presses), group=-50)
        await bot.take_the_webhook()
        shown = await say(people, KIM, "/today", "God morgon")
        listing = (await people.bot_messages(KIM))[-1]
        assert listing.text == shown
        pressed = await people.press(KIM, listing.message_id, text=listing.buttons()[0])
        answer = await people.wait_for_answer(pressed)
        assert answer["answered"] and answer["text"] is None  # the door is still at work
        released.set()
        followed = await people.wait_for(
            KIM, lambda m: m.from_bot and (m.message_id > listing.message_id or m.edited > 0)
        )
    assert "Försök igen" not in followed.text  # the door's own answer was no error


async def test_polling_confirms_an_update_only_once_it_is_stored(
    sandbox_settings: Settings,
    clock: MovableClock,
    database: Database,
    services: Services,
    people: SandboxClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await coworker_with_plan(services, name="Kim", telegram_id=KIM, day=services.today())
    await people.add_user(KIM, "Kim", started=True)
    tries: list[int] = []

    async def database_away(*args: object) -> bool:
        tries.append(1)
        raise OperationalError("INSERT", {}, ConnectionError("the database went away"))

    engine = database.engine()
    try:
        async with open_runtime(sandbox_settings, clock, engine) as runtime:
            with monkeypatch.context() as away:
                away.setattr("bot.runtime.intake.inbox_repo.store", database_away)
                away.setattr("bot.runtime.intake.inbox_repo.store_and_take", database_away)
                first = build_application(runtime.services, TEST_TOKEN)
                async with polling(first, poll_timeout=1):
                    await people.send_text(KIM, "/today")
                    async with asyncio.timeout(10):
                        while not tries:  # noqa: ASYNC110
                            await asyncio.sleep(0.05)
                # Stopped while the update could not be stored: it was not confirmed.
            assert await bot_texts(people, KIM) == []
            second = build_application(runtime.services, TEST_TOKEN)
            async with polling(second, poll_timeout=1):
                shown = await people.wait_for(KIM, lambda m: m.from_bot)
                await people.send_text(KIM, "/today")  # the chat's next, after the first
                await people.wait_for(KIM, lambda m: m.from_bot and m.message_id > shown.message_id)
    finally:
        await engine.dispose()
    texts = await bot_texts(people, KIM)
    assert len(texts) == 2 and all(t.startswith("God morgon Kim!") for t in texts)


async def test_a_press_is_answered_at_once_while_the_database_is_slow_to_hand_it_out(
    sandbox_settings: Settings,
    clock: MovableClock,
    database: Database,
    services: Services,
    people: SandboxClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await coworker_with_plan(services, name="Kim", telegram_id=KIM, day=services.today())
    await people.add_user(KIM, "Kim", started=True)
    released = asyncio.Event()
    real_claim, real_store = inbox_repo.claim_next, inbox_repo.store_and_take

    async def slow_claim(*args: Any) -> inbox_repo.Claimed | None:
        await released.wait()  # the database is stalled
        return await real_claim(*args)

    async def slow_store(*args: Any) -> inbox_repo.Kept:
        await released.wait()
        return await real_store(*args)

    async with instance(sandbox_settings, clock, database, press_answer_seconds=0.5) as bot:
        await bot.take_the_webhook()
        await say(people, KIM, "/today", "God morgon")
        listing = (await people.bot_messages(KIM))[-1]
        monkeypatch.setattr("bot.runtime.intake.inbox_repo.claim_next", slow_claim)
        monkeypatch.setattr("bot.runtime.intake.inbox_repo.store_and_take", slow_store)
        pressed = await people.press(KIM, listing.message_id, text=listing.buttons()[0])
        answer = await people.wait_for_answer(pressed)
        assert answer["answered"] and answer["text"] is None
        assert len(await people.bot_messages(KIM)) == 1  # nothing else yet
        released.set()
        await people.wait_for(
            KIM, lambda m: m.from_bot and (m.message_id > listing.message_id or m.edited > 0)
        )


async def test_an_update_the_webhook_cannot_store_is_not_acknowledged(
    sandbox_settings: Settings,
    clock: MovableClock,
    database: Database,
    services: Services,
    people: SandboxClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await coworker_with_plan(services, name="Kim", telegram_id=KIM, day=services.today())
    await people.add_user(KIM, "Kim", started=True)

    async def database_away(*args: object) -> bool:
        raise OperationalError("INSERT", {}, ConnectionError("the database went away"))

    async with instance(sandbox_settings, clock, database) as bot:
        with monkeypatch.context() as away:
            away.setattr("bot.runtime.intake.inbox_repo.store", database_away)
            away.setattr("bot.runtime.intake.inbox_repo.store_and_take", database_away)
            assert await post(bot.url, today_update(9400, KIM), SECRET) == 503
        assert await inbox_row(services, 9400) is None
        assert await post(bot.url, today_update(9400, KIM), SECRET) == 200  # sent again
        shown = await people.wait_for(KIM, lambda m: m.from_bot)
    assert shown.text.startswith("God morgon Kim!")


async def test_an_update_that_keeps_failing_is_given_up_and_its_sender_told(
    sandbox_settings: Settings,
    clock: MovableClock,
    database: Database,
    services: Services,
    people: SandboxClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await coworker_with_plan(services, name="Kim", telegram_id=KIM, day=services.today())
    await people.add_user(KIM, "Kim", started=True)
    monkeypatch.setattr("bot.runtime.intake.MAX_ATTEMPTS", 2)
    monkeypatch.setattr("bot.runtime.intake.MAX_RETRY_SECONDS", 0.1)
    checks: list[int] = []

    async def database_away(*args: object) -> bool:
        checks.append(1)
        raise OperationalError("SELECT", {}, ConnectionError("the database went away"))

    monkeypatch.setattr(inbox_repo, "is_held_by", database_away)
    taken_a_while_ago(monkeypatch)
    async with instance(sandbox_settings, clock, database) as bot:
        await bot.take_the_webhook()
        await people.send_text(KIM, "Jag mår inte bra idag")
        told = await people.wait_for(KIM, lambda m: m.from_bot)
    assert told.text == "Något gick fel hos mig. Försök igen om en stund."
    assert len(checks) == 2 and len(await people.bot_messages(KIM)) == 1
    async with services.sessions() as session:
        rows = list(await session.scalars(select(InboxUpdate)))
        relayed = list(await session.scalars(select(Message)))
    assert [(r.outcome, r.attempts) for r in rows] == [("given_up", 3)] and relayed == []
