"""Scripts without HTTP: the same container and use cases as the API, on the configured database."""

import argparse
import asyncio
import json
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from adapters.mongo.client import DatabaseUnavailable
from application.queue.enqueue_batch import EnqueueBatch
from entrypoints.container import Container, database_lifetime
from entrypoints.http.json_converter import make_json_converter
from entrypoints.settings import SettingsError, load_settings


@asynccontextmanager
async def open_container() -> AsyncIterator[Container]:
    """The container on the configured database, or on the SecantusDB of DATA_DIR (a running server's, if one runs);
    the dispatcher does not run here."""
    container = Container(settings=load_settings())
    async with database_lifetime(container):
        yield container


def _print(result: Any) -> None:
    print(json.dumps(make_json_converter().unstructure(result), indent=2, default=str))


async def _generate(args: argparse.Namespace, container: Container) -> Any:
    command = EnqueueBatch(model=args.model, project_id=args.project, scene_id=args.scene, priority=args.priority,
                           clip_ids=tuple(args.clip) if args.clip else None)
    return await container.enqueue_batch()(command)


async def _status(_args: argparse.Namespace, container: Container) -> Any:
    return await container.queue_status()()


def _runner(action: Callable[[argparse.Namespace, Container], Awaitable[Any]]) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        async def main() -> None:
            async with open_container() as container:
                _print(await action(args, container))

        try:
            asyncio.run(main())
        except (SettingsError, DatabaseUnavailable) as exc:
            print(f"storycanvas: {exc}", file=sys.stderr)
            return 2 if isinstance(exc, SettingsError) else 1
        except Exception as exc:  # a script reports the reason in one line, like the API's envelope
            print(f"storycanvas: {type(exc).__name__}: {exc}", file=sys.stderr)
            return 1
        return 0

    return run


def add_parsers(commands: Any) -> None:
    generate = commands.add_parser("generate", help="queue generation for clips, a scene or a whole project")
    target = generate.add_mutually_exclusive_group(required=True)
    target.add_argument("--project", help="every main clip of this project")
    target.add_argument("--scene", help="every main clip of this scene")
    target.add_argument("--clip", action="append", help="this clip (repeatable)")
    generate.add_argument("--model", required=True, help="preset or user workflow id, e.g. sdxl")
    generate.add_argument("--priority", type=int, default=0)
    generate.set_defaults(run=_runner(_generate))
    status = commands.add_parser("queue-status", help="counts by state, pause switches, capacity up")
    status.set_defaults(run=_runner(_status))
