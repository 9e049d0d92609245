"""The `storycanvas` command: the API server, the simulators, and every everyday task on the same use cases."""

import sys

import click

from entrypoints.cli import board, doctor, exports, generation, projects, queue, renders, serve, servers


@click.group("storycanvas", context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="storycanvas", prog_name="storycanvas")
def cli() -> None:
    """StoryCanvas: storyboards from a song and a shot list, generated on ComfyUI.

    Commands run on the database the environment names (MONGO_URL, else the embedded one in DATA_DIR, shared with
    a server running there). Exit codes: 0 done, 1 failure, 2 usage, 3 not found.
    """


for command in (serve.serve, serve.comfyui, serve.openai, projects.projects, board.scenes, board.clips,
                exports.export, exports.bundle, generation.generate, queue.queue, queue.queue_status_compat,
                servers.servers, doctor.doctor, renders.storyboard, renders.animatic, renders.lyrics):
    cli.add_command(command)


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns its exit code."""
    try:
        cli.main(args=argv, prog_name="storycanvas", standalone_mode=True)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
