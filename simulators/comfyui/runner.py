"""Command-line flags of the simulator and serving it (shared by `python -m` and `storycanvas comfyui-sim`)."""

import argparse
import json
import logging
from pathlib import Path

from aiohttp import web

from simulators.comfyui.app import create_simulator_app
from simulators.comfyui.config import (
    CURRENT_VERSION, DEFAULT_MODELS, FAILURE_MODES, LEGACY_VERSION, PREVIEW_METHODS, SimulatorConfig,
)

DESCRIPTION = (f"A protocol-faithful ComfyUI simulator: today's server ({CURRENT_VERSION}) by default, "
               f"or {LEGACY_VERSION} with --comfyui-version {LEGACY_VERSION}")


def _pair(text: str) -> tuple[str, float]:
    name, separator, value = text.partition("=")
    if not separator:
        raise argparse.ArgumentTypeError(f"expected NAME=NUMBER, got {text!r}")
    try:
        return name, float(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from error


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The simulator's flags."""
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8188, help="port (default 8188)")
    parser.add_argument("--root", type=Path, default=Path("comfyui-sim"),
                        help="directory holding output/, input/ and temp/ (default ./comfyui-sim)")
    parser.add_argument("--capacity", type=int, default=1, help="prompts executed at once (real ComfyUI: 1)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds each node takes (default 0)")
    parser.add_argument("--node-latency", type=_pair, action="append", default=[], metavar="CLASS=SECONDS",
                        help="latency of one class_type, e.g. KSampler=4 (repeatable)")
    parser.add_argument("--model-switch-delay", type=float, default=0.0,
                        help="seconds added when a slot loads a different checkpoint/UNET")
    parser.add_argument("--models", type=Path, help="JSON file {folder: [file names]} of installed models")
    parser.add_argument("--fail", type=_pair, action="append", default=[], metavar="MODE=COUNT",
                        help=f"arm a failure at start ({', '.join(FAILURE_MODES)}); repeatable")
    parser.add_argument("--comfyui-version", default=CURRENT_VERSION, metavar="VERSION",
                        help=f"the ComfyUI to model: {CURRENT_VERSION} (default; UUID prompt ids, 409 on a repeated "
                             f"id, the jobs API, asset ids) or {LEGACY_VERSION}")
    parser.add_argument("--preview-method", choices=PREVIEW_METHODS, default="auto",
                        help="sampler live previews on the WebSocket (default auto; none switches them off)")
    parser.add_argument("--preview-size", type=int, default=256, help="longest side of a preview (default 256)")
    parser.add_argument("--enable-cors-header", nargs="?", const="*", default=None, metavar="ORIGIN",
                        help="send CORS headers (like ComfyUI's flag) instead of refusing foreign origins")


def config_from_args(args: argparse.Namespace) -> SimulatorConfig:
    """A SimulatorConfig from parsed flags."""
    models = DEFAULT_MODELS
    if args.models is not None:
        models = {folder: tuple(names) for folder, names in json.loads(args.models.read_text()).items()}
    return SimulatorConfig(
        root=args.root, capacity=args.capacity, latency=args.latency, node_latency=dict(args.node_latency),
        model_switch_delay=args.model_switch_delay, models=models,
        failures={mode: int(count) for mode, count in args.fail}, cors_origin=args.enable_cors_header,
        comfyui_version=args.comfyui_version, preview_method=args.preview_method, preview_size=args.preview_size,
    )


def serve(args: argparse.Namespace) -> int:
    """Run the simulator until interrupted."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        config = config_from_args(args)
    except (ValueError, OSError) as error:
        print(f"comfyui-sim: {error}", flush=True)
        return 2
    print(f"ComfyUI simulator (ComfyUI {config.comfyui_version}), data in {config.root}", flush=True)
    print(f"To see the GUI go to: http://{args.host}:{args.port}", flush=True)
    web.run_app(create_simulator_app(config), host=args.host, port=args.port, access_log=None, print=None)
    return 0
