"""Boards with real media on disk for the render benchmarks and tests: stills, short videos, a song, lyrics."""

import wave
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image, ImageDraw

from adapters.fakes.unit_of_work import InMemoryStore
from application.ports.media_store import LocatedFile
from domain.clip import Clip
from domain.generated_content import ContentKind, GeneratedContent
from domain.media import MusicTrack
from domain.project import Project
from domain.scene import Scene

T0 = datetime(2026, 1, 1, tzinfo=UTC)
PROJECT = "bench"


def still(path: Path, index: int, size: tuple[int, int] = (960, 540)) -> Path:
    image = Image.new("RGB", size, ((index * 67) % 256, (index * 131) % 256, (index * 29 + 60) % 256))
    ImageDraw.Draw(image).ellipse((size[0] // 3, size[1] // 6, size[0] * 2 // 3, size[1] * 5 // 6),
                                  fill=(240, 230, 200))
    image.save(path)
    return path


def video(path: Path, seconds: float, fps: int = 24, size: tuple[int, int] = (640, 360)) -> Path:
    """A moving bar on a gradient, H.264."""
    with av.open(str(path), mode="w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=Fraction(fps))
        stream.width, stream.height, stream.pix_fmt = size[0], size[1], "yuv420p"
        stream.options = {"preset": "ultrafast"}
        for index in range(round(seconds * fps)):
            pixels = np.zeros((size[1], size[0], 3), dtype=np.uint8)
            pixels[:, :, 2] = np.linspace(40, 200, size[0], dtype=np.uint8)
            left = index * 8 % size[0]
            pixels[:, left:left + 24] = (255, 255, 0)
            frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
            frame.pts = index
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return path


def song(path: Path, seconds: float, rate: int = 44100) -> Path:
    """A 110 Hz tone with a click on every beat at 120 BPM, 16-bit stereo WAV."""
    t = np.arange(int(seconds * rate)) / rate
    tone = 0.2 * np.sin(2 * np.pi * 110 * t) + 0.3 * (np.mod(t, 0.5) < 0.01)
    samples = (np.clip(tone, -1, 1) * 32000).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(np.repeat(samples, 2).tobytes())
    return path


def take(kind: ContentKind, clip_id: str, path: Path, params: dict | None = None) -> GeneratedContent:
    return GeneratedContent(id=f"{kind.value}-{clip_id}", kind=kind, url="/x", created_at=T0, selected=True,
                            path=str(path), params=params or {})


def seed_board(store: InMemoryStore, folder: Path, *, scenes: int, clips: int, clip_s: float) -> None:
    """`scenes` x `clips` clips of `clip_s` seconds: videos, stills and title cards in turn; lyrics on every other."""
    stills = [still(folder / f"still{i}.png", i) for i in range(4)]
    videos = [video(folder / f"video{i}.mp4", clip_s + 1) for i in range(2)]
    music_path = song(folder / "song.wav", scenes * clips * clip_s)
    music = MusicTrack(key=str(music_path), url="/x", content_type="audio/wav", format="wav", size=1,
                       duration_s=scenes * clips * clip_s, original_name="Песня.wav")
    store.tables["projects"][PROJECT] = Project(id=PROJECT, name="Animatic – Ελληνικά", description=None,
                                                music_file=music.key, created_at=T0, updated_at=T0, music=music)
    for order in range(scenes):
        scene = Scene(id=f"s{order:03d}", project_id=PROJECT, name=f"Scene {order + 1}", description=None,
                      order=order, created_at=T0, updated_at=T0)
        store.tables["scenes"][scene.id] = scene
        for index in range(clips):
            clip_id = f"{scene.id}c{index:03d}"
            media: dict = {}
            if index % 3 == 0:
                media["generated_videos"] = (take(ContentKind.VIDEO, clip_id, videos[index % 2],
                                                  {"frames": round((clip_s + 1) * 24), "fps": 24}),)
            elif index % 3 == 1:
                media["generated_images"] = (take(ContentKind.IMAGE, clip_id, stills[index % 4]),)
            store.tables["clips"][clip_id] = Clip(
                id=clip_id, scene_id=scene.id, project_id=PROJECT, name=f"Кадр {index + 1}",
                timeline_position=index * clip_s, length=clip_s, created_at=T0, updated_at=T0,
                lyrics=f"Λόγια {index + 1}, слова" if index % 2 == 0 else None,
                image_prompt="a lighthouse at dusk, waves, slow push in", **media)


def locate_path(key: str) -> LocatedFile | None:
    """Keys of these boards are plain paths."""
    path = Path(key)
    return LocatedFile(path, "application/octet-stream") if path.is_file() else None
