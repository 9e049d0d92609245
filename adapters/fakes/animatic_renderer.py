"""An animatic renderer that writes a small stand-in file; it can be held mid-render or made to fail."""

import asyncio
import threading
from pathlib import Path

from attrs import define, field

from application.ports.animatic_renderer import Progress, RenderedAnimatic
from application.ports.media_store import LocatedFile
from application.ports.project_board_reader import ProjectBoard
from domain.render_job import AnimaticSettings


@define
class FakeAnimaticRenderer:
    root: Path
    fail_with: str | None = None
    hold: threading.Event | None = None  # set() it to let held renders finish
    rendered: list[tuple[str, AnimaticSettings]] = field(factory=list)

    async def render(self, board: ProjectBoard, settings: AnimaticSettings, *, name: str,
                     progress: Progress) -> RenderedAnimatic:
        return await asyncio.to_thread(self._render, board, settings, name, progress)

    def _render(self, board: ProjectBoard, settings: AnimaticSettings, name: str,
                progress: Progress) -> RenderedAnimatic:
        progress(0.5)
        while self.hold is not None and not self.hold.wait(0.05):
            progress(0.5)  # raises when the tasks stop
        if self.fail_with is not None:
            raise RuntimeError(self.fail_with)
        key = f"{board.project.id}/{name}.mp4"
        (self.root / board.project.id).mkdir(parents=True, exist_ok=True)
        (self.root / key).write_bytes(b"\x00\x00\x00\x18ftypisom" + name.encode())
        self.rendered.append((name, settings))
        progress(1.0)
        return RenderedAnimatic(key=key, duration_s=1.0)

    def locate(self, key: str) -> LocatedFile | None:
        path = self.root / key
        return LocatedFile(path, "video/mp4") if ".." not in key and path.is_file() else None

    async def delete(self, key: str) -> None:
        located = self.locate(key)
        if located is not None:
            located.path.unlink()
