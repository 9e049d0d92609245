"""`python -m adapters.comfyui.simulator --port 8188`: serve a simulated ComfyUI."""

import argparse
import sys

from adapters.comfyui.simulator.runner import add_arguments, serve


def main(argv: list[str] | None = None) -> int:
    """Parse the flags and serve."""
    parser = argparse.ArgumentParser(prog="python -m adapters.comfyui.simulator",
                                     description="A protocol-faithful ComfyUI 0.3.64 simulator")
    add_arguments(parser)
    return serve(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
