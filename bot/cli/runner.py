"""What every ``vardag`` command shares: the settings and the logs, the runtime opened,
one unit of work in one transaction, and a wrong input as one line and exit code 2.

A command that writes migrates the database first; a command that only reads does not:
on a database behind the newest schema it says so in one line and changes nothing.

A command is an async function of ``(services, session, t, …its options)`` returning the
lines to print, made a command by :func:`writes`, :func:`reads` or :func:`writes_when` (it
shows, or changes when given an option to); a command that checks its input before the
database is opened, or prints something else than lines, calls :func:`in_session` itself.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import sys
from collections.abc import Awaitable, Callable
from typing import Concatenate, ParamSpec, TypeVar

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot import logs
from bot.config import ConfigError, Settings, load_settings
from bot.context import Services
from bot.i18n import PlainTexts
from bot.rules.clock import Clock
from bot.runtime.runner import SchemaBehind, open_runtime
from bot.services.errors import OrganisationError

P = ParamSpec("P")
T = TypeVar("T")

Work = Callable[[Services, AsyncSession, PlainTexts], Awaitable[T]]
Command = Callable[Concatenate[Services, AsyncSession, PlainTexts, P], Awaitable[list[str]]]


def _no_clock() -> Clock | None:
    return None


# Which clock the commands ask; None is the system clock. Tests set a fixed one.
clock_factory: Callable[[], Clock | None] = _no_clock


def load() -> Settings:
    """The settings, with the logs set up by them."""
    settings = load_settings()
    logs.setup(
        settings.log_level,
        settings.telegram_token.get_secret_value() if settings.telegram_token else None,
        settings.log_format,
    )
    return settings


def in_session(work: Work[T], *, writes: bool, settings: Settings | None = None) -> T:
    """Do ``work`` in one transaction; what it returns. A database behind the schema, or
    an :class:`OrganisationError`, is a :class:`ConfigError` of one line."""
    settings = settings or load()
    t = PlainTexts(settings.language)

    async def go() -> T:
        async with (
            open_runtime(settings, clock=clock_factory(), migrating=writes) as runtime,
            runtime.services.sessions.begin() as session,
        ):
            return await work(runtime.services, session, t)

    try:
        return asyncio.run(go())
    except SchemaBehind:
        raise ConfigError(t("cli.schema_behind")) from None
    except OrganisationError as exc:
        raise ConfigError(exc.plain(t)) from None


def run_lines(work: Work[list[str]], *, writes: bool) -> None:
    """Do ``work`` in one transaction and print its lines."""
    for line in in_session(work, writes=writes):
        typer.echo(line)


def writes(command: Command[P]) -> Callable[P, None]:
    """A command that changes the database (which is migrated first)."""
    return _as_command(command, writes=True)


def reads(command: Command[P]) -> Callable[P, None]:
    """A command that only reads: the database is not migrated, only checked."""
    return _as_command(command, writes=False)


def writes_when(*options: str) -> Callable[[Command[P]], Callable[P, None]]:
    """A command that shows something, or changes it when one of ``options`` is given."""

    def given(kwargs: dict[str, object]) -> bool:
        values = [kwargs.get(option) for option in options]
        return any(value is not None and value is not False for value in values)

    def make(command: Command[P]) -> Callable[P, None]:
        return _as_command(command, writes=given)

    return make


def _as_command(
    command: Command[P], *, writes: bool | Callable[[dict[str, object]], bool]
) -> Callable[P, None]:
    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        async def work(services: Services, session: AsyncSession, t: PlainTexts) -> list[str]:
            return await command(services, session, t, *args, **kwargs)

        run_lines(work, writes=writes if isinstance(writes, bool) else writes(kwargs))

    # Typer reads the options from the signature (as it stands, so with the annotations
    # evaluated): the first three parameters are not options.
    signature = inspect.signature(command, eval_str=True)
    options = list(signature.parameters.values())[3:]
    run.__signature__ = signature.replace(parameters=options)  # type: ignore[attr-defined]
    return run


def guarded(app: typer.Typer) -> None:
    """Run ``app``: a configuration problem is one clear line and exit code 2, never a
    traceback; Ctrl-C is exit code 130."""
    try:
        app()
    except ConfigError as exc:
        typer.echo(f"vardag: {exc}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
