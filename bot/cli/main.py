"""The ``vardag`` command line: the command groups assembled into one app.

Each command lives in the module of its group (``bot/cli/<group>.py``); what they share
(settings, the runtime, a unit of work, a wrong input as exit code 2) is in
``bot/cli/runner.py``.
"""

from __future__ import annotations

import typer

from bot.cli import catalogue, demo, groups, invites, ops, outbox, people, plan, privacy, report
from bot.cli.contacts import contacts_app
from bot.cli.rota import rota_app
from bot.cli.runner import guarded

app = typer.Typer(no_args_is_help=True, add_completion=False, help="Vardag: the day, calmly.")

app.command()(ops.run)
app.command()(ops.doctor)
app.command()(ops.migrate)
app.command()(invites.invite)
app.command("invites")(invites.list_invites)
app.command("revoke-invite")(invites.revoke_invite)
app.command()(demo.demo)
app.add_typer(groups.group_app, name="group")
app.add_typer(contacts_app, name="contacts")
app.add_typer(rota_app, name="rota")
app.add_typer(plan.plan_app, name="plan")
app.add_typer(outbox.outbox_app, name="outbox")
app.add_typer(report.report_app, name="report")
app.command("audit")(ops.audit)
app.command("backup")(ops.backup)
app.command("export")(privacy.export)
app.command("erase")(privacy.erase)
app.command()(people.people)
app.command()(people.deactivate)
app.command()(people.activate)
app.command()(people.quiet)
app.command("import")(catalogue.import_file)
app.command("export-catalogue")(catalogue.export_catalogue)
app.add_typer(demo.sandbox_app, name="sandbox")


def main() -> None:
    """Entry point: a configuration problem is one clear line, never a traceback."""
    guarded(app)
