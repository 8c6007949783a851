"""``vardag invite|invites|revoke-invite``: single-use invites, the way in for everyone."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.runner import in_session, load, reads, writes
from bot.config import ConfigError
from bot.context import Services
from bot.i18n import PlainTexts
from bot.rules.localtime import local_minute
from bot.services.people import invites
from bot.telegram.botinfo import bot_username, deep_link
from storage.models import Role
from storage.repos import invites as invite_repo


def invite(
    role: Annotated[Role, typer.Option(help="coworker, support or admin")],
    name: Annotated[str, typer.Option(help="The person's name as others will see it")],
    group: Annotated[str | None, typer.Option(help="The group they belong to")] = None,
) -> None:
    """Create a single-use invite and print its link and code."""
    settings = load()
    t = PlainTexts(settings.language)
    name = name.strip()
    if not name or len(name) > 120:
        raise ConfigError(t("cli.bad_name"))

    async def work(services: Services, session: AsyncSession, _: PlainTexts) -> invites.NewInvite:
        return await invites.create_invite(
            services, session, role=role, name=name, group_name=group
        )

    created = in_session(work, writes=True, settings=settings)
    username = asyncio.run(bot_username(settings))
    expires = local_minute(created.invite.expires_at, settings.zone)
    typer.echo(t("cli.invite_created", name=name, role=t(f"role.{role.value}"), expires=expires))
    if username:
        typer.echo(t("cli.invite_link", link=deep_link(username, created.code)))
    typer.echo(t("cli.invite_code", code=created.code))


@reads
async def list_invites(services: Services, session: AsyncSession, t: PlainTexts) -> list[str]:
    """List the open invites (not used, revoked or expired)."""
    rows = await invite_repo.open_invites(session, services.now())
    return [
        t(
            "cli.open_invite",
            id=invite.id,
            name=person.display_name,
            role=t(f"role.{invite.role.value}"),
            expires=local_minute(invite.expires_at, services.zone),
        )
        for invite, person in rows
    ] or [t("cli.no_open_invites")]


@writes
async def revoke_invite(
    services: Services,
    session: AsyncSession,
    t: PlainTexts,
    invite_id: Annotated[int, typer.Argument(help="The id `vardag invites` shows")],
) -> list[str]:
    """Revoke an open invite so its code no longer works."""
    if not await invites.revoke(services, session, invite_id):
        raise ConfigError(t("cli.no_such_invite", id=invite_id))
    return [t("cli.invite_revoked", id=invite_id)]
