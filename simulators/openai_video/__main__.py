"""`python -m simulators.openai_video --port 8000`: serve a simulated /v1/videos provider."""

import argparse
import sys

from simulators.openai_video.runner import DESCRIPTION, add_arguments, serve


def main(argv: list[str] | None = None) -> int:
    """Parse the flags and serve."""
    parser = argparse.ArgumentParser(prog="python -m simulators.openai_video", description=DESCRIPTION)
    add_arguments(parser)
    return serve(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
