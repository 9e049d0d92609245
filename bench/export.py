"""Export a 2,000-clip board to every format through the export use case; print timings and a JSON summary.

    python -m bench.export [--scenes 40] [--clips 50] [--rounds 5]

The board is held in the in-memory store (the database is not what is measured): 40 scenes of 50 clips,
a third with a selected video, a third with a selected image, a third placeholders, lyrics on every other
clip, holes between some clips, and a song. Each format is exported `rounds` times (median and best are
shown) and read back once through OpenTimelineIO's adapters as a check that the cut is whole.
"""

import argparse
import asyncio
import json
import statistics
import time
from datetime import UTC, datetime

import opentimelineio as otio

from adapters.export.exporter import OtioTimelineExporter
from adapters.fakes.project_board_reader import InMemoryProjectBoardReader
from adapters.fakes.unit_of_work import InMemoryStore
from application.export.export_timeline import ExportTimeline, ExportTimelineHandler
from application.ports.timeline_exporter import ExportFormat
from domain.clip import Clip
from domain.generated_content import ContentKind, GeneratedContent
from domain.media import MusicTrack
from domain.project import Project
from domain.scene import Scene

T0 = datetime(2026, 1, 1, tzinfo=UTC)
SUMMARY = {ExportFormat.FCPXML: "fcpxml_s", ExportFormat.EDL: "edl_s", ExportFormat.OTIO: "otio_s",
           ExportFormat.JSON: "json_s"}
READERS = {ExportFormat.FCPXML: "fcpx_xml", ExportFormat.EDL: "cmx_3600", ExportFormat.RESOLVE: "otio_json",
           ExportFormat.RESOLVE_XML: "fcp_xml", ExportFormat.OTIO: "otio_json"}


def take(kind: ContentKind, clip_id: str) -> GeneratedContent:
    extension = "mp4" if kind is ContentKind.VIDEO else "png"
    return GeneratedContent(id=f"{kind.value}-{clip_id}", kind=kind, url=f"/media/{clip_id}.{extension}",
                            created_at=T0, selected=True, path=f"projects/bench/generated/{clip_id}.{extension}",
                            params={"frames": 121, "fps": 24} if kind is ContentKind.VIDEO else {})


def clip(scene_id: str, index: int, position: float) -> Clip:
    clip_id = f"{scene_id}-c{index:03d}"
    media = {0: {"generated_videos": (take(ContentKind.VIDEO, clip_id),)},
             1: {"generated_images": (take(ContentKind.IMAGE, clip_id),)}}.get(index % 3, {})
    return Clip(id=clip_id, scene_id=scene_id, project_id="bench", name=f"Shot {index + 1} – “{scene_id}” & co",
                timeline_position=position, length=2.0 + index % 4 * 0.5, created_at=T0, updated_at=T0,
                lyrics=f"line {index + 1}, sung over the bridge" if index % 2 == 0 else None, **media)


def seed(store: InMemoryStore, scenes: int, clips: int) -> None:
    music = MusicTrack(key="projects/bench/music/song.mp3", url="/x", content_type="audio/mpeg", format="mp3",
                       size=1, duration_s=scenes * clips * 4.0, original_name="Song.mp3")
    store.tables["projects"]["bench"] = Project(id="bench", name="Bench – 2,000 clips", description=None,
                                                music_file=music.key, created_at=T0, updated_at=T0, music=music)
    for order in range(scenes):
        scene = Scene(id=f"s{order:03d}", project_id="bench", name=f"Scene {order + 1}", description=None,
                      order=order, created_at=T0, updated_at=T0)
        store.tables["scenes"][scene.id] = scene
        for index in range(clips):
            placed = clip(scene.id, index, position=index * 4.0)
            store.tables["clips"][placed.id] = placed


def clips_read_back(fmt: ExportFormat, content: bytes) -> int:
    if fmt is ExportFormat.JSON:
        return sum(event["type"] != "gap" for event in json.loads(content)["events"])
    options = {"rate": 24} if fmt is ExportFormat.EDL else {}
    read = otio.adapters.read_from_string(content.decode(), READERS[fmt], **options)
    timeline = read[0] if isinstance(read, otio.schema.SerializableCollection) else read
    video = max(timeline.video_tracks(), key=len)
    return sum(isinstance(item, otio.schema.Clip) for item in video)


async def measure(handler: ExportTimelineHandler, fmt: ExportFormat, rounds: int) -> tuple[list[float], bytes]:
    timings, content = [], b""
    for _ in range(rounds):
        started = time.perf_counter()
        content = (await handler(ExportTimeline(project_id="bench", format=fmt, fps="24"))).content
        timings.append(time.perf_counter() - started)
    return timings, content


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenes", type=int, default=40)
    parser.add_argument("--clips", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    store = InMemoryStore()
    seed(store, args.scenes, args.clips)
    exporter = OtioTimelineExporter(lambda key: f"file:///srv/{key}")
    handler = ExportTimelineHandler(InMemoryProjectBoardReader(store), exporter)
    print(f"{'format':<12} {'median s':>9} {'best s':>8} {'KiB':>8} {'clips read back':>16}")
    summary: dict[str, float | int] = {"clips": args.scenes * args.clips}
    for fmt in ExportFormat:
        timings, content = await measure(handler, fmt, args.rounds)
        median = statistics.median(timings)
        print(f"{fmt.value:<12} {median:>9.3f} {min(timings):>8.3f} {len(content) / 1024:>8.0f} "
              f"{clips_read_back(fmt, content):>16}")
        if fmt in SUMMARY:
            summary[SUMMARY[fmt]] = round(median, 3)
    print(json.dumps(summary))


if __name__ == "__main__":
    asyncio.run(main())
