"""`storycanvas serve` (the API), and the simulators `comfyui-sim` and `openai-sim` with their own flags."""

import argparse
import os
import sys
from types import ModuleType

import click
from aiohttp import web
from aiohttp.log import access_logger

from adapters.mongo.client import DatabaseUnavailable
from entrypoints.cli import comfyui_sim, openai_sim
from entrypoints.http.app import create_app
from entrypoints.http.exposure import exposure_refusal
from entrypoints.http.slow_clients import server_options
from entrypoints.logging_setup import RedactingAccessLogger, configure_logging
from entrypoints.settings import SettingsError, load_settings


@click.command()
@click.option("--host", help="Interface to listen on (default: BACKEND_HOST).")
@click.option("--port", type=int, help="Port (default: BACKEND_PORT).")
def serve(host: str | None, port: int | None) -> None:
    """Serve the API (on the embedded SecantusDB of DATA_DIR unless MONGO_URL is set)."""
    sys.exit(serve_api(host, port))


def serve_api(host: str | None, port: int | None) -> int:
    try:
        settings = load_settings()
    except SettingsError as exc:
        return _failed(str(exc), status=2)
    configure_logging(settings)  # JSON lines with request and job ids (LOG_FORMAT)
    host = host or settings.backend_host
    port = settings.backend_port if port is None else port
    if (refusal := exposure_refusal(settings, host)) is not None:
        return _failed(refusal, status=2)
    try:
        web.run_app(create_app(settings), host=host, port=port, print=lambda message: print(message, flush=True),
                    access_log=access_logger if settings.access_log else None, access_log_class=RedactingAccessLogger,
                    **server_options(settings))
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


def simulator(name: str, module: ModuleType, summary: str) -> click.Command:
    """A simulator's command: its flags are the simulator's own (argparse), passed through unchanged."""

    @click.command(name, help=f"{summary} (`storycanvas {name} --help` lists its flags).", add_help_option=False,
                   context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
    @click.argument("args", nargs=-1, type=click.UNPROCESSED)
    def command(args: tuple[str, ...]) -> None:
        root = argparse.ArgumentParser(prog="storycanvas")
        module.add_parser(root.add_subparsers(dest="command", required=True))
        parsed = root.parse_args([name, *args])
        sys.exit(int(parsed.run(parsed)))

    return command


comfyui = simulator("comfyui-sim", comfyui_sim, "Serve a protocol-faithful ComfyUI simulator")
openai = simulator("openai-sim", openai_sim, "Serve a protocol-faithful /v1/videos simulator")
