"""Command-line flags of the simulator and serving it (shared by `python -m` and `storycanvas openai-sim`)."""

import argparse
import json
import logging
from pathlib import Path

from aiohttp import web

from simulators.openai_video.app import create_simulator_app
from simulators.openai_video.config import DEFAULT_MODELS, FAILURE_MODES, ModelLimits, SimulatorConfig

DESCRIPTION = ("A protocol-faithful simulator of the /v1/videos API (OpenAI's Videos API as vLLM-Omni, SGLang "
               "Diffusion and others serve it) that renders placeholder H.264 MP4s")


def _failure(text: str) -> tuple[str, int]:
    mode, separator, count = text.partition("=")
    if not separator:
        mode, count = text, "1"
    if mode not in FAILURE_MODES or not count.isdigit():
        raise argparse.ArgumentTypeError(f"expected MODE[=COUNT] with MODE one of {', '.join(FAILURE_MODES)}")
    return mode, int(count)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The simulator's flags."""
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000); clients use http://HOST:PORT/v1")
    parser.add_argument("--api-key", help="the bearer key clients must send (default: any key, or none, is accepted)")
    parser.add_argument("--latency", type=float, default=0.0,
                        help="seconds a video spends in_progress before it renders (default 0)")
    parser.add_argument("--capacity", type=int, default=4, help="videos generated at once; the rest wait queued")
    parser.add_argument("--fps", type=int, default=24, help="frame rate of the rendered MP4s (default 24)")
    parser.add_argument("--models", type=Path,
                        help='JSON file {"model": {"seconds": ["4", "8"], "sizes": ["1280x720"]}}; a missing list '
                             "accepts any value (default: the sora-2 and sora-2-pro catalogue)")
    parser.add_argument("--fail", type=_failure, action="append", default=[], metavar="MODE[=COUNT]",
                        help=f"arm a failure at start ({', '.join(FAILURE_MODES)}); repeatable")
    parser.add_argument("--retry-after", type=int, default=1, help="seconds in a 429's Retry-After (default 1)")
    parser.add_argument("--root", type=Path, help="directory for rendered files (default: a temporary directory)")


def _models(path: Path | None) -> dict[str, ModelLimits]:
    if path is None:
        return dict(DEFAULT_MODELS)
    entries = json.loads(path.read_text())
    if not isinstance(entries, dict) or not all(isinstance(entry, dict) for entry in entries.values()):
        raise ValueError(f"{path}: expected an object of model names to {{seconds, sizes}} objects")
    return {name: ModelLimits.from_json(entry) for name, entry in entries.items()}


def config_from_args(args: argparse.Namespace) -> SimulatorConfig:
    """A SimulatorConfig from parsed flags."""
    failures: dict[str, int] = {}
    for mode, count in args.fail:
        failures[mode] = failures.get(mode, 0) + count
    return SimulatorConfig(root=args.root, api_key=args.api_key, latency=args.latency, capacity=args.capacity,
                           fps=args.fps, models=_models(args.models), failures=failures,
                           retry_after=args.retry_after)


def serve(args: argparse.Namespace) -> int:
    """Run the simulator until interrupted."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        config = config_from_args(args)
    except (ValueError, TypeError, OSError) as error:
        print(f"openai-sim: {error}", flush=True)
        return 2
    key = "the key given with --api-key" if config.api_key else "any key"
    print(f"/v1/videos simulator on http://{args.host}:{args.port}/v1 ({len(config.models)} models, {key})",
          flush=True)
    web.run_app(create_simulator_app(config), host=args.host, port=args.port, access_log=None, print=None)
    return 0
