"""The ``vardag`` command line."""

from __future__ import annotations

import asyncio
import sys
from typing import Annotated

import typer

from bot.config import ConfigError, Settings, load_settings
from bot.i18n import PlainTexts
from bot.runtime import logs
from bot.runtime.botinfo import bot_username, deep_link
from bot.runtime.runner import open_runtime, run_until_stopped
from bot.services.people import invites
from storage.models import Invite, Person, Role
from storage.repos import invites as invite_repo

app = typer.Typer(no_args_is_help=True, add_completion=False, help="Vardag: the day, calmly.")


def _settings() -> Settings:
    settings = load_settings()
    logs.setup(
        settings.log_level,
        settings.telegram_token.get_secret_value() if settings.telegram_token else None,
        settings.log_format,
    )
    return settings


@app.command()
def run(
    webhook: Annotated[
        bool, typer.Option("--webhook", help="Take updates on a webhook instead of polling")
    ] = False,
) -> None:
    """Run the bot against Telegram (long polling, or a webhook with --webhook)."""
    settings = _settings()
    token = settings.require_token()
    if webhook:
        settings.require_webhook()
    asyncio.run(run_until_stopped(settings, token, use_webhook=webhook))


@app.command()
def doctor(
    webhook: Annotated[bool, typer.Option("--webhook", help="Check for webhook mode")] = False,
) -> None:
    """Check the settings, the database, the token and the webhook; say what is wrong."""
    from bot.runtime.doctor import examine

    settings = _settings()
    checks = asyncio.run(examine(settings, webhook=webhook))
    for check in checks:
        typer.echo(("✓ " if check.ok else "✗ ") + check.line)
    if not all(check.ok for check in checks):
        raise typer.Exit(1)


@app.command()
def migrate() -> None:
    """Bring the database to the newest schema."""
    settings = _settings()

    async def _migrate() -> None:
        async with open_runtime(settings):
            pass

    asyncio.run(_migrate())
    typer.echo(PlainTexts(settings.language)("cli.migrated"))


@app.command()
def invite(
    role: Annotated[Role, typer.Option(help="coworker, support or admin")],
    name: Annotated[str, typer.Option(help="The person's name as others will see it")],
    group: Annotated[str | None, typer.Option(help="The group they belong to")] = None,
) -> None:
    """Create a single-use invite and print its link and code."""
    settings = _settings()
    t = PlainTexts(settings.language)
    name = name.strip()
    if not name or len(name) > 120:
        raise ConfigError(t("cli.bad_name"))

    async def _invite() -> tuple[invites.NewInvite, str | None]:
        async with open_runtime(settings) as runtime:
            async with runtime.services.sessions.begin() as session:
                created = await invites.create_invite(
                    runtime.services, session, role=role, name=name, group_name=group
                )
            return created, await bot_username(settings)

    created, username = asyncio.run(_invite())
    expires = created.invite.expires_at.astimezone(settings.zone).strftime("%Y-%m-%d %H:%M")
    typer.echo(t("cli.invite_created", name=name, role=t(f"role.{role.value}"), expires=expires))
    if username:
        typer.echo(t("cli.invite_link", link=deep_link(username, created.code)))
    typer.echo(t("cli.invite_code", code=created.code))


@app.command("invites")
def list_invites() -> None:
    """List the open invites (not used, revoked or expired)."""
    settings = _settings()
    t = PlainTexts(settings.language)

    async def _list() -> list[tuple[Invite, Person]]:
        async with open_runtime(settings) as runtime, runtime.services.sessions() as session:
            return await invite_repo.open_invites(session, runtime.services.now())

    rows = asyncio.run(_list())
    if not rows:
        typer.echo(t("cli.no_open_invites"))
    for invite, person in rows:
        expires = invite.expires_at.astimezone(settings.zone).strftime("%Y-%m-%d %H:%M")
        typer.echo(
            t(
                "cli.open_invite",
                id=invite.id,
                name=person.display_name,
                role=t(f"role.{invite.role.value}"),
                expires=expires,
            )
        )


@app.command("revoke-invite")
def revoke_invite(
    invite_id: Annotated[int, typer.Argument(help="The id `vardag invites` shows")],
) -> None:
    """Revoke an open invite so its code no longer works."""
    settings = _settings()
    t = PlainTexts(settings.language)

    async def _revoke() -> bool:
        async with (
            open_runtime(settings) as runtime,
            runtime.services.sessions.begin() as session,
        ):
            return await invites.revoke(runtime.services, session, invite_id)

    if not asyncio.run(_revoke()):
        raise ConfigError(t("cli.no_such_invite", id=invite_id))
    typer.echo(t("cli.invite_revoked", id=invite_id))


@app.command()
def demo(
    port: Annotated[int, typer.Option(help="Port of the local sandbox")] = 8081,
    database: Annotated[str, typer.Option(help="SQLite file for the demo")] = "vardag-demo.sqlite",
) -> None:
    """Start a local Telegram sandbox and the bot with a demo group, until Ctrl-C."""
    from bot.demo.run import run_demo

    _settings()
    asyncio.run(run_demo(port=port, database=database))


def _add_sub_commands() -> None:
    from bot.cli import catalogue as cli_catalogue
    from bot.cli import ops as cli_ops
    from bot.cli import org as cli_org
    from bot.cli import outbox as cli_outbox
    from bot.cli import person as cli_person
    from bot.cli import plan as cli_plan
    from bot.cli import privacy as cli_privacy
    from bot.cli import report as cli_report
    from bot.demo.act import app as act

    app.add_typer(cli_org.group_app, name="group")
    app.add_typer(cli_org.contacts_app, name="contacts")
    app.add_typer(cli_org.rota_app, name="rota")
    app.add_typer(cli_plan.plan_app, name="plan")
    app.add_typer(cli_outbox.outbox_app, name="outbox")
    app.add_typer(cli_report.report_app, name="report")
    app.command("audit")(cli_ops.audit)
    app.command("backup")(cli_ops.backup)
    app.command("export")(cli_privacy.export)
    app.command("erase")(cli_privacy.erase)
    app.command()(cli_org.people)
    app.command()(cli_org.deactivate)
    app.command()(cli_org.activate)
    app.command()(cli_person.quiet)
    app.command("import")(cli_catalogue.import_file)
    app.command("export-catalogue")(cli_catalogue.export_catalogue)
    app.add_typer(act, name="sandbox")


_add_sub_commands()


def main() -> None:
    """Entry point: a configuration problem is one clear line, never a traceback."""
    try:
        app()
    except ConfigError as exc:
        typer.echo(f"vardag: {exc}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
