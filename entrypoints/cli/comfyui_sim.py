"""`storycanvas comfyui-sim`: a simulated ComfyUI (today's or 0.3.64) for development without a GPU."""

import argparse

from simulators.comfyui.runner import DESCRIPTION, add_arguments, serve


def add_parser(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> argparse.ArgumentParser:
    """Register the `comfyui-sim` subcommand with the simulator's flags."""
    command = subparsers.add_parser("comfyui-sim", help="serve a protocol-faithful ComfyUI simulator",
                                    description=DESCRIPTION)
    add_arguments(command)
    command.set_defaults(run=serve)
    return command
