"""The AnimaticRenderer on PyAV: files under `<upload dir>/projects/<id>/animatics/` (deleted with the project)."""

import asyncio
import contextlib
import os
import re
from collections.abc import Callable
from pathlib import Path

from attrs import frozen

from adapters.render.animatic_encoder import encode
from adapters.render.animatic_plan import plan_of
from application.ports.animatic_renderer import Progress, RenderedAnimatic
from application.ports.media_store import LocatedFile
from application.ports.project_board_reader import ProjectBoard
from domain.render_job import AnimaticSettings
from domain.timecode import frame_rate

KEY = re.compile(r"projects/([A-Za-z0-9][A-Za-z0-9_-]{0,63})/animatics/([A-Za-z0-9][A-Za-z0-9_-]{0,63})\.mp4")
Locate = Callable[[str], LocatedFile | None]


@frozen
class PyAVAnimaticRenderer:
    root: Path  # the media store's root
    locate_media: Locate  # stored media keys -> files

    async def render(self, board: ProjectBoard, settings: AnimaticSettings, *, name: str,
                     progress: Progress) -> RenderedAnimatic:
        return await asyncio.to_thread(self.render_now, board, settings, name=name, progress=progress)

    def render_now(self, board: ProjectBoard, settings: AnimaticSettings, *, name: str,
                   progress: Progress) -> RenderedAnimatic:
        rate = frame_rate(settings.fps)
        plan = plan_of(board, rate, self._find, captions=settings.captions)
        if plan.frames == 0:
            raise ValueError("the board has no clip to show: add clips to its scenes first")
        key = f"projects/{board.project.id}/animatics/{name}.mp4"
        if not KEY.fullmatch(key):
            raise ValueError(f"not an animatic name: {name!r}")
        final = self.root / key
        final.parent.mkdir(parents=True, exist_ok=True)
        partial = final.with_suffix(".part")
        try:
            encode(plan, partial, width=settings.width, height=settings.height, progress=progress)
            os.replace(partial, final)
        finally:
            partial.unlink(missing_ok=True)
        return RenderedAnimatic(key=key, duration_s=float(rate.seconds(plan.frames)))

    def _find(self, key: str) -> Path | None:
        located = self.locate_media(key)
        return located.path if located is not None else None

    def locate(self, key: str) -> LocatedFile | None:
        if not KEY.fullmatch(key):
            return None
        path = self.root / key
        if path.is_symlink() or not path.is_file():
            return None
        return LocatedFile(path=path.resolve(), content_type="video/mp4")

    async def delete(self, key: str) -> None:
        located = self.locate(key)
        if located is not None:
            with contextlib.suppress(FileNotFoundError):
                located.path.unlink()
