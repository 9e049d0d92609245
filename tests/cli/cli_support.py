"""Running `storycanvas` commands through click's own runner, on a thread of their own (each runs its own loop)."""

import asyncio
import json
from typing import Any

from click.testing import CliRunner, Result

from entrypoints.cli.__main__ import cli
from entrypoints.settings import Settings


async def storycanvas(settings: Settings | None, *args: str, input: str | None = None,
                      env: dict[str, str] | None = None) -> Result:
    """One command as a user types it; `settings` stand in for the environment's (None: read the environment)."""
    runner = CliRunner(catch_exceptions=False)
    return await asyncio.to_thread(runner.invoke, cli, list(args), input=input, obj=settings, env=env)


async def ok_json(settings: Settings, *args: str) -> Any:
    """The parsed `--json` output of a command that must succeed."""
    result = await storycanvas(settings, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


async def ok(settings: Settings, *args: str) -> str:
    result = await storycanvas(settings, *args)
    assert result.exit_code == 0, result.output
    assert result.stderr == "", result.stderr
    return result.stdout.strip()


def one_error_line(result: Result, code: int) -> str:
    """The single `storycanvas: ...` line an error prints on stderr, with no traceback and nothing on stdout."""
    assert result.exit_code == code, (result.exit_code, result.output)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("storycanvas: "), result.stderr
    assert "Traceback" not in result.output
    return lines[0]
