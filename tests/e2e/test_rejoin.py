"""A deactivated person can come back with a new invite: the same Telegram account is
released from the old (deactivated) record and bound to the new one, with a clear welcome."""

from __future__ import annotations

from sqlalchemy import select

from bot.sandbox.client import SandboxClient
from bot.services.people import everyone
from storage.models import AuditEntry, Invite, Person, Role
from tests.e2e.conftest import RunningBot
from tests.e2e.helpers import new_bot_message, seen
from tests.e2e.test_joining import invite, join, only_reply

KIM = 1001


async def test_a_deactivated_person_rejoins_with_a_new_invite(
    running_bot: RunningBot, people: SandboxClient
) -> None:
    services = running_bot.services
    first = await invite(services, Role.COWORKER, "Kim")
    await join(people, KIM, "Kim", first.code)
    async with services.sessions.begin() as session:
        await everyone.set_active(services, session, f"#{first.person.id}", False)
    second = await invite(services, Role.COWORKER, "Kim")

    known = await seen(people, KIM)
    await people.send_text(KIM, f"/start {second.code}")
    await new_bot_message(people, KIM, known, "Vilket språk")
    texts = [m.text for m in await people.bot_messages(KIM) if m.message_id not in known]
    assert texts[0] == "Välkommen tillbaka till Vardag!"
    assert texts[1].startswith("Hej Kim! Välkommen till Vardag.")
    async with services.sessions() as session:
        old = await session.get(Person, first.person.id)
        new = await session.get(Person, second.person.id)
        used = await session.scalar(select(Invite.used_at).where(Invite.id == second.invite.id))
        rejoin = await session.scalar(
            select(AuditEntry).where(AuditEntry.action == "invite.rejoin")
        )
    assert old is not None and (old.active, old.telegram_user_id) == (False, None)
    assert new is not None and (new.active, new.telegram_user_id) == (True, KIM)
    assert used is not None
    assert rejoin is not None and rejoin.subject_id == new.id
    assert (await only_reply(people, KIM, "/today")).text.startswith("Du har inga uppgifter idag")
