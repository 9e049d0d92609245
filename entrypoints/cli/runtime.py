"""Running one command: the container on the configured database, a use case, and errors as exit codes.

Exit codes: 0 done, 1 failure, 2 usage (bad option, value or setting), 3 not found. An error is one line on stderr.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import NoReturn, TypeVar

import click

from adapters.mongo.client import DatabaseUnavailable
from application.errors import ApplicationError, NotFound
from domain.errors import DomainError, InvalidValue
from entrypoints.container import Container, database_lifetime
from entrypoints.settings import Settings, SettingsError, load_settings

OK, FAILURE, USAGE, NOT_FOUND = 0, 1, 2, 3
ANALYSIS_GRACE_S = 2.0
T = TypeVar("T")


def settings_of(ctx: click.Context) -> Settings:
    """The settings a caller handed in (`obj=`), else the environment's."""
    root = ctx.find_root()
    if not isinstance(root.obj, Settings):
        root.obj = load_settings()
    return root.obj


@asynccontextmanager
async def open_container(settings: Settings) -> AsyncIterator[Container]:
    """The container on the configured database, or on the SecantusDB of DATA_DIR (a running server's, if one
    runs); no dispatcher runs unless a command starts one."""
    container = Container(settings=settings)
    async with database_lifetime(container):
        try:
            yield container
        finally:
            await closed(container)


async def closed(container: Container) -> None:
    """Close what a command may have opened: client sessions, and the song analyses an upload started (they stay
    pending in the database; a server resumes them)."""
    await container.generation_backend().close()
    await container.music_analysis_runner().stop(grace_s=ANALYSIS_GRACE_S)
    close = getattr(container.music_analyser(), "close", None)
    if close is not None:
        close()


def run(action: Callable[[Container], Awaitable[T]]) -> T:
    """Run `action` on the container; any error leaves as one line on stderr and its exit code."""
    ctx = click.get_current_context()

    async def main() -> T:
        async with open_container(settings_of(ctx)) as container:
            return await action(container)

    try:
        return asyncio.run(main())
    except click.exceptions.Exit:
        raise
    except Exception as exc:
        fail(*failure(exc))


def fail(message: str, code: int = FAILURE) -> NoReturn:
    click.echo(f"storycanvas: {message}", err=True)
    raise click.exceptions.Exit(code)


def failure(exc: Exception) -> tuple[str, int]:
    """The line and the exit code of an error."""
    if isinstance(exc, NotFound):
        return str(exc), NOT_FOUND
    if isinstance(exc, (SettingsError, InvalidValue)):
        return str(exc), USAGE
    if isinstance(exc, (DatabaseUnavailable, ApplicationError, DomainError)):
        return str(exc), FAILURE
    if isinstance(exc, OSError):
        return _os_error(exc), FAILURE
    if isinstance(exc, ExceptionGroup) and exc.exceptions:  # cattrs' validation errors
        return failure(exc.exceptions[0]) if isinstance(exc.exceptions[0], Exception) else (str(exc), FAILURE)
    return f"{type(exc).__name__}: {exc}", FAILURE


def _os_error(exc: OSError) -> str:
    what = f" {exc.filename}" if exc.filename else ""
    return f"cannot use{what}: {exc.strerror or exc}"


def attempt(make: Callable[[], T]) -> T:
    """Build a command from options; a value its rules refuse is a usage error (exit 2)."""
    try:
        return make()
    except (DomainError, ValueError, TypeError) as exc:
        fail(str(exc), USAGE)
