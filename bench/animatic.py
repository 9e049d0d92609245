"""Render the animatic of a 3-minute board (videos, stills, title cards, the song, captions); print timings as JSON.

    python -m bench.animatic [--scenes 6] [--clips 10] [--clip-seconds 3] [--fps 24] [--width 1280] [--height 720]

The board is held in the in-memory store and its media are made on the spot (not measured). The issue's target:
the animatic of a 3-minute board under 60 s on this machine. `cpu_s` is the CPU time of all the render's threads,
which says more than the wall time on a shared machine.
"""

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path

import av

from adapters.fakes.project_board_reader import InMemoryProjectBoardReader
from adapters.fakes.unit_of_work import InMemoryStore
from adapters.render.animatic_renderer import PyAVAnimaticRenderer
from bench.render_boards import PROJECT, locate_path, seed_board
from domain.render_job import AnimaticSettings


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenes", type=int, default=6)
    parser.add_argument("--clips", type=int, default=10)
    parser.add_argument("--clip-seconds", type=float, default=3.0)
    parser.add_argument("--fps", default="24")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=720)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = InMemoryStore()
        seed_board(store, Path(folder), scenes=args.scenes, clips=args.clips, clip_s=args.clip_seconds)
        board = await InMemoryProjectBoardReader(store).board(PROJECT)
        assert board is not None
        renderer = PyAVAnimaticRenderer(Path(folder) / "out", locate_path)
        started, cpu = time.perf_counter(), time.process_time()
        rendered = await renderer.render(board, AnimaticSettings(args.fps, args.width, args.height, True),
                                         name="bench", progress=lambda _: None)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu  # CPU: every thread's
        located = renderer.locate(rendered.key)
        assert located is not None
        with av.open(str(located.path)) as container:
            duration = float(container.duration or 0) / av.time_base
        summary = {"clips": args.scenes * args.clips, "board_s": rendered.duration_s, "file_s": round(duration, 3),
                   "render_s": round(elapsed, 2), "cpu_s": round(cpu, 2), "realtime_x": round(rendered.duration_s / elapsed, 1),
                   "mib": round(located.path.stat().st_size / 2**20, 1)}
    print(f"{summary['board_s']:.1f} s board ({summary['clips']} clips) at {args.width}x{args.height} "
          f"{args.fps} fps rendered in {elapsed:.1f} s ({summary['realtime_x']}x real time, {cpu:.1f} s of CPU)")
    print(json.dumps(summary))


if __name__ == "__main__":
    asyncio.run(main())
