"""`storycanvas openai-sim`: a simulated `/v1/videos` provider (OpenAI's Videos API shape) for development."""

import argparse

from simulators.openai_video.runner import DESCRIPTION, add_arguments, serve


def add_parser(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> argparse.ArgumentParser:
    """Register the `openai-sim` subcommand with the simulator's flags."""
    command = subparsers.add_parser("openai-sim", help="serve a protocol-faithful /v1/videos simulator",
                                    description=DESCRIPTION)
    add_arguments(command)
    command.set_defaults(run=serve)
    return command
