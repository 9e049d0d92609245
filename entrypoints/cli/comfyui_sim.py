"""`storycanvas comfyui-sim`: a simulated ComfyUI for development without a GPU."""

import argparse

from adapters.comfyui.simulator.runner import add_arguments, serve


def add_parser(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> argparse.ArgumentParser:
    """Register the `comfyui-sim` subcommand with the simulator's flags."""
    command = subparsers.add_parser("comfyui-sim", help="serve a protocol-faithful ComfyUI simulator",
                                    description="A protocol-faithful ComfyUI 0.3.64 simulator")
    add_arguments(command)
    command.set_defaults(run=serve)
    return command
