"""Build a storyboard from a lyrics file and a song, generate it on the ComfyUI simulator, and export it.

    python examples/lyrics_to_board.py examples/night_drive.lrc [--song SONG.wav] [--out DIR]

Only the application layer is used, through the same container as the API and the CLI. The lyrics import makes a
scene per section and a clip per line, timed by its LRC stamp `[mm:ss.xx]` (or spread over the song).
Without `--song` a short tone stands in for one. The database is MONGO_URL's, else the embedded one of DATA_DIR
(a temporary directory unless set); the simulator runs in this process on a free loopback port.
"""

import argparse
import asyncio
import math
import os
import struct
import sys
import tempfile
import wave
from collections.abc import AsyncIterator
from pathlib import Path

from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a clone without installing

from application.comfyui.register_server import RegisterServer  # noqa: E402
from application.export.export_timeline import ExportTimeline  # noqa: E402
from application.lyrics.import_lyrics import ImportLyrics  # noqa: E402
from application.media.upload_music import UploadMusic  # noqa: E402
from application.ports.timeline_exporter import ExportFormat  # noqa: E402
from application.projects.create_project import CreateProject  # noqa: E402
from application.queue.enqueue_batch import EnqueueBatch  # noqa: E402
from entrypoints.cli.runtime import closed  # noqa: E402
from entrypoints.container import Container, database_lifetime  # noqa: E402
from entrypoints.settings import load_settings  # noqa: E402
from simulators.comfyui import SimulatorConfig, create_simulator_app  # noqa: E402

GENERATION_TIMEOUT_S = 180.0


def tone(path: Path, seconds: float = 12.0, rate: int = 8000) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1), out.setsampwidth(2), out.setframerate(rate)
        out.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(i * 2 * math.pi * 220 / rate)))
                                 for i in range(int(seconds * rate))))
    return path


async def chunks(path: Path) -> AsyncIterator[bytes]:
    yield path.read_bytes()


async def build(container: Container, lyrics: Path, song: Path) -> str:
    """The project and its song, then the lyrics import: a scene per section, a clip per line; returns its id."""
    project = await container.create_project()(CreateProject(name=lyrics.stem.replace("_", " ").title()))
    await container.upload_music()(UploadMusic(project.id, chunks(song), song.name))
    imported = await container.import_lyrics()(ImportLyrics(project.id, lyrics.read_bytes(), lyrics.name))
    print(f"{len(imported.scenes)} scene(s), {len(imported.clips)} clip(s) from {lyrics.name}")
    return project.id


async def generate(container: Container, project_id: str, simulator_url: str) -> None:
    """Register the simulator, queue every clip, and run this process's dispatcher until the batch has ended."""
    await container.register_server()(RegisterServer(name="simulator", url=simulator_url))
    batch = await container.enqueue_batch()(EnqueueBatch(model="sdxl", project_id=project_id))
    dispatcher = container.dispatcher()
    running = asyncio.create_task(dispatcher.run_forever())
    deadline = asyncio.get_running_loop().time() + GENERATION_TIMEOUT_S
    try:
        while not (status := await container.batch_status()(batch.batch_id)).done:
            if asyncio.get_running_loop().time() > deadline:
                raise SystemExit(f"the takes were not generated within {GENERATION_TIMEOUT_S:g}s: {status.counts}")
            await asyncio.sleep(0.2)
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        await dispatcher.stop()
    print(f"generated: {status.counts}")
    if status.counts.completed != batch.count:
        raise SystemExit(f"only {status.counts.completed} of {batch.count} takes were generated")


async def export(container: Container, project_id: str, out: Path) -> None:
    for format_ in (ExportFormat.FCPXML, ExportFormat.OTIO, ExportFormat.JSON):
        exported = await container.export_timeline()(ExportTimeline(project_id=project_id, format=format_))
        target = out / f"board{exported.extension}"
        target.write_bytes(exported.content)
        print(f"exported {target}")


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="storycanvas-example-") as work:
        await run(args, Path(work))


async def run(args: argparse.Namespace, work: Path) -> None:
    os.environ.setdefault("DATA_DIR", str(work / "data"))
    os.environ.setdefault("UPLOAD_DIR", str(work / "uploads"))
    os.environ.setdefault("COMFYUI_HEALTH_INTERVAL_S", "0")
    args.out.mkdir(parents=True, exist_ok=True)
    runner = web.AppRunner(create_simulator_app(SimulatorConfig(root=work / "comfyui")), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    container = Container(settings=load_settings())
    try:
        async with database_lifetime(container):
            project_id = await build(container, args.lyrics, args.song or tone(work / "song.wav"))
            print(f"project {project_id}")
            await generate(container, project_id, f"http://127.0.0.1:{runner.addresses[0][1]}")
            await export(container, project_id, args.out)
            await closed(container)
    finally:
        await runner.cleanup()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lyrics", type=Path, help="a lyrics file (.lrc stamps optional)")
    parser.add_argument("--song", type=Path, help="the song (MP3, WAV, ...); default: a 12 s tone")
    parser.add_argument("--out", type=Path, default=Path("example-out"), help="where the exports go")
    asyncio.run(main(parser.parse_args()))
