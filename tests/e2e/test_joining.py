"""Joining with an invite, for every role, and every way a code can be wrong."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from bot.cli.main import app as cli
from bot.context import Services
from bot.sandbox.client import SandboxClient, SandboxMessage
from bot.sandbox.server import SandboxServer
from bot.services.people import invites
from storage.models import ContactPersons, Invite, Person, Role
from tests.conftest import Database
from tests.e2e.conftest import RunningBot, cli_env
from tests.e2e.helpers import new_bot_message, seen

STRANGER = "Den här boten är för personer i Vardags arbetsträning. Be din stödperson om en länk."
KIM, ANNA, BOSS, EVE = 1001, 2001, 3001, 6666


async def invite(
    services: Services, role: Role, name: str, group: str | None = "Rutt 1"
) -> invites.NewInvite:
    async with services.sessions.begin() as session:
        return await invites.create_invite(
            services, session, role=role, name=name, group_name=group
        )


async def join(people: SandboxClient, user_id: int, first_name: str, code: str) -> SandboxMessage:
    """Send /start <code> and return the language question that follows a welcome."""
    await people.add_user(user_id, first_name)
    await people.send_text(user_id, f"/start {code}")
    return await people.wait_for(user_id, lambda m: m.text.startswith("Vilket språk"))


async def only_reply(people: SandboxClient, user_id: int, text: str) -> SandboxMessage:
    known = await seen(people, user_id)
    await people.send_text(user_id, text)
    reply = await new_bot_message(people, user_id, known)
    await asyncio.sleep(0.3)  # nothing else follows
    assert [
        m.message_id for m in await people.bot_messages(user_id) if m.message_id not in known
    ] == [reply.message_id]
    return reply


async def test_coworker_joins_in_english_and_types_a_time(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    new = await invite(running_bot.services, Role.COWORKER, "Kim")
    question = await join(people, KIM, "Kim", new.code)
    welcome = (await people.bot_messages(KIM))[0]
    assert welcome.text.startswith("Hej Kim! Välkommen till Vardag.")

    await people.press(KIM, question.message_id, text="English")
    asked = await people.wait_for(KIM, lambda m: m.text.startswith("When do you want"))
    assert (await people.bot_messages(KIM))[1].text == "I will write in English."

    bad = await only_reply(people, KIM, "25:00")
    assert bad.text.startswith("I did not understand the time.")
    good = await only_reply(people, KIM, "7.30")
    assert good.text == "Good! Your list comes at 07:30 in the morning."
    assert asked.buttons() == ["07:00", "07:30", "08:00", "08:30", "09:00"]
    async with running_bot.services.sessions() as session:
        kim = await session.get(Person, new.person.id)
    assert kim is not None and kim.language == "en" and kim.morning_time == time(7, 30)
    # Once set, a time-like message is a message again, kept for the support person.
    saved = await only_reply(people, KIM, "8:00")
    assert saved.text == (  # no staff: it waits, and Kim is told so
        "I have kept your message. Right now I cannot reach anyone.\n"
        "It goes to the staff as soon as someone can receive it."
    )


async def test_support_person_and_admin_join_with_a_staff_menu(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    anna = await invite(running_bot.services, Role.SUPPORT, "Anna")
    question = await join(people, ANNA, "Anna", anna.code)
    welcome = (await people.bot_messages(ANNA))[0]
    assert "Du är med som stödperson." in welcome.text
    known = await seen(people, ANNA)
    await people.press(ANNA, question.message_id, text="Svenska")
    await people.wait_for(ANNA, lambda m: m.message_id == question.message_id and m.edited > 0)
    await asyncio.sleep(0.3)
    assert [m for m in await people.bot_messages(ANNA) if m.message_id not in known] == []

    boss = await invite(running_bot.services, Role.ADMIN, "Bo", group=None)
    await join(people, BOSS, "Bo", boss.code)
    assert "Du är med som administratör." in (await people.bot_messages(BOSS))[0].text
    menus = {
        entry["scope"].get("chat_id"): [c["command"] for c in entry["commands"]]
        for entry in await people.commands()
    }
    staff_menu = ["team", "plan", "add", "repeat", "send", "broadcast", "newtask", "invite"]
    staff_menu.append("group")
    staff_menu += ["contacts"]
    staff_menu += ["duty", "away", "back"]
    staff_menu += ["rota", "continuity"]
    staff_menu.append("settings")
    assert menus[ANNA] == menus[BOSS] == staff_menu


async def test_every_bad_code_gets_the_one_polite_line(
    running_bot: RunningBot, people: SandboxClient, sandbox: SandboxServer, database: Database
) -> None:
    services = running_bot.services
    await people.add_user(EVE, "Eve")
    assert (await only_reply(people, EVE, "/start")).text == STRANGER
    assert (await only_reply(people, EVE, "/start not-a-code")).text == STRANGER
    assert (await only_reply(people, EVE, "/start " + "x" * 65)).text == STRANGER

    used = await invite(services, Role.COWORKER, "Kim")
    await join(people, KIM, "Kim", used.code)
    assert (await only_reply(people, EVE, f"/start {used.code}")).text == STRANGER

    revoked = await invite(services, Role.COWORKER, "Sara")
    result = await asyncio.to_thread(
        CliRunner().invoke,
        cli,
        ["revoke-invite", str(revoked.invite.id)],
        env=cli_env(database, sandbox),
    )
    assert result.exit_code == 0 and f"#{revoked.invite.id}" in result.output
    assert (await only_reply(people, EVE, f"/start {revoked.code}")).text == STRANGER

    inactive = await invite(services, Role.COWORKER, "Ali")
    async with services.sessions.begin() as session:
        ali = await session.get(Person, inactive.person.id)
        assert ali is not None
        ali.active = False
    assert (await only_reply(people, EVE, f"/start {inactive.code}")).text == STRANGER

    expired = await invite(services, Role.COWORKER, "Maja")
    running_bot.clock.advance(timedelta(days=services.settings.invite_days, minutes=1))
    assert (await only_reply(people, EVE, f"/start {expired.code}")).text == STRANGER

    async with services.sessions() as session:
        bound = list(await session.scalars(select(Person).where(Person.telegram_user_id == EVE)))
    assert bound == []


async def test_guessing_codes_is_slowed_down(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    services = running_bot.services
    good = await invite(services, Role.COWORKER, "Kim")
    await people.add_user(EVE, "Eve")
    for guess in range(invites.MAX_FAILED_JOINS):
        assert (await only_reply(people, EVE, f"/start guess{guess}")).text == STRANGER
    # Even the right code is refused while the account is slowed down …
    assert (await only_reply(people, EVE, f"/start {good.code}")).text == STRANGER
    async with services.sessions() as session:
        stored = await session.get(Invite, good.invite.id)
    assert stored is not None and stored.used_at is None
    # … and works once the window has passed.
    running_bot.clock.advance(invites.FAILED_JOIN_WINDOW + timedelta(minutes=1))
    await people.send_text(EVE, f"/start {good.code}")
    await people.wait_for(EVE, lambda m: m.text.startswith("Vilket språk"))


async def test_blocking_and_unblocking_tell_the_contact_persons(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    services = running_bot.services
    anna_invite = await invite(services, Role.SUPPORT, "Anna")
    await join(people, ANNA, "Anna", anna_invite.code)
    johan_invite = await invite(services, Role.SUPPORT, "Johan")
    kim_invite = await invite(services, Role.COWORKER, "Kim")
    await join(people, KIM, "Kim", kim_invite.code)
    async with services.sessions.begin() as session:
        session.add(
            ContactPersons(
                coworker_id=kim_invite.person.id,
                primary_id=anna_invite.person.id,
                secondary_id=johan_invite.person.id,
            )
        )

    await people.block(KIM)
    note = await people.wait_for(ANNA, lambda m: m.text.startswith("Kim har stängt av Vardag"))
    assert note.buttons() == []
    async with services.sessions() as session:
        kim = await session.get(Person, kim_invite.person.id)
    assert kim is not None and kim.unreachable

    await people.unblock(KIM)
    await people.wait_for(ANNA, lambda m: m.text == "Kim har startat Vardag igen och kan nås.")
    async with services.sessions() as session:
        kim = await session.get(Person, kim_invite.person.id)
    assert kim is not None and not kim.unreachable


# A job the bot's stop left running once ended in an aiosqlite thread's "Event loop is
# closed" here (the clock set to now gives the jobs work); tests/e2e/test_stopping.py.
@pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")
async def test_invites_are_listed_on_the_command_line(
    running_bot: RunningBot, sandbox: SandboxServer, database: Database
) -> None:
    # The command line reads the system clock: make the invite now, so it is still valid.
    running_bot.clock.set(datetime.now(UTC))
    await invite(running_bot.services, Role.COWORKER, "Kim")
    result = await asyncio.to_thread(
        CliRunner().invoke, cli, ["invites"], env=cli_env(database, sandbox)
    )
    assert result.exit_code == 0
    assert re.search(r"#\d+  Kim \(medarbetare\), giltig till \d{4}-\d\d-\d\d", result.output)


async def test_a_deactivated_person_gets_only_the_polite_line(
    running_bot: RunningBot, people: SandboxClient, sandbox: SandboxServer, database: Database
) -> None:
    kim = await invite(running_bot.services, Role.COWORKER, "Kim")
    await join(people, KIM, "Kim", kim.code)

    def cli_run(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(cli, list(args), env=cli_env(database, sandbox))
        return result.exit_code, result.output

    assert await asyncio.to_thread(cli_run, "deactivate", "kim") == (
        0,
        "Kim är avaktiverad och kan inte använda boten.\n",
    )
    assert (await only_reply(people, KIM, "/today")).text == STRANGER
    assert (await only_reply(people, KIM, "hej")).text == STRANGER
    code, _ = await asyncio.to_thread(cli_run, "deactivate", "Kim")
    assert code != 0
    assert await asyncio.to_thread(cli_run, "activate", "Kim") == (0, "Kim är aktiv igen.\n")
    assert (await only_reply(people, KIM, "/today")).text.startswith("Du har inga uppgifter idag")
