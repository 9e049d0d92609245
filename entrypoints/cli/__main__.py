"""`storycanvas serve` (the API), `comfyui-sim`, `openai-sim`, and scripts (`generate`, `queue-status`)."""

import argparse
import logging
import os
import sys

from aiohttp import web
from aiohttp.log import access_logger

from adapters.mongo.client import DatabaseUnavailable
from entrypoints.cli import comfyui_sim, openai_sim, use_cases
from entrypoints.http.app import create_app
from entrypoints.http.slow_clients import server_options
from entrypoints.settings import SettingsError, load_settings


def serve(args: argparse.Namespace) -> int:
    try:
        settings = load_settings()
    except SettingsError as exc:
        return _failed(str(exc), status=2)
    logging.basicConfig(level=logging.DEBUG if settings.debug else logging.INFO)
    host = args.host or settings.backend_host
    port = settings.backend_port if args.port is None else args.port
    try:
        web.run_app(create_app(settings), host=host, port=port, print=lambda message: print(message, flush=True),
                    access_log=access_logger if settings.access_log else None, **server_options(settings))
    except DatabaseUnavailable as exc:
        return _failed(str(exc))
    except OSError as exc:  # binding the port: the only OSError run_app lets out
        reason = os.strerror(exc.errno) if exc.errno and exc.errno > 0 else exc.strerror or str(exc)
        return _failed(f"cannot listen on {host}:{port}: {reason}")
    return 0


def _failed(message: str, *, status: int = 1) -> int:
    """A start-up failure: one line on stderr, never a traceback."""
    print(f"storycanvas: {message}", file=sys.stderr)
    return status


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="storycanvas", description="StoryCanvas backend")
    commands = root.add_subparsers(dest="command", required=True)
    serve_command = commands.add_parser("serve", help="serve the API (embedded SecantusDB unless MONGO_URL is set)")
    serve_command.add_argument("--host", help="interface to listen on (default: BACKEND_HOST)")
    serve_command.add_argument("--port", type=int, help="port (default: BACKEND_PORT)")
    serve_command.set_defaults(run=serve)
    comfyui_sim.add_parser(commands)
    openai_sim.add_parser(commands)
    use_cases.add_parsers(commands)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
