"""`python -m simulators.comfyui --port 8188`: serve a simulated ComfyUI."""

import argparse
import sys

from simulators.comfyui.runner import DESCRIPTION, add_arguments, serve


def main(argv: list[str] | None = None) -> int:
    """Parse the flags and serve."""
    parser = argparse.ArgumentParser(prog="python -m simulators.comfyui", description=DESCRIPTION)
    add_arguments(parser)
    return serve(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
