"""One video's background task: queued until a render slot is free, in_progress while `progress` climbs over
the latency, then rendered and completed (or failed halfway when a failure was armed for it)."""

import asyncio
import concurrent.futures
import logging
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from attrs import define, frozen

from simulators.openai_video.media.rendering import RenderRequest, render_variants
from simulators.openai_video.videos.stats import SimulatorStats
from simulators.openai_video.videos.video import Video, VideoError

TICK = 0.1  # seconds between progress updates
RENDER_ERROR = VideoError("internal_error", "The simulator could not render this video.")
_log = logging.getLogger(__name__)


@define
class RuntimeSettings:
    """What POST /sim/settings changes while the simulator runs; jobs read it on every tick."""

    latency: float
    retry_after: int
    failure_code: str
    failure_message: str


@frozen
class RenderContext:
    """What a video's task needs from the simulator around it."""

    settings: RuntimeSettings
    slots: asyncio.Semaphore
    executor: concurrent.futures.Executor
    stats: SimulatorStats
    directory: Callable[[str], Path]
    fps: int
    asset_ttl: int


async def run_video(video: Video, context: RenderContext) -> None:
    """Take the video to completed or failed; a DELETE cancels this task wherever it is."""
    async with context.slots:
        video.start()
        if video.planned_failure is not None:
            await _advance(video, context.settings, until=0.5)
            video.fail(video.planned_failure)
        else:
            await _advance(video, context.settings, until=1.0)
            await _render(video, context)
    context.stats.video_settled()


async def _advance(video: Video, settings: RuntimeSettings, *, until: float) -> None:
    """Raise `progress` with the elapsed share of the latency until that share reaches `until`."""
    started = time.monotonic()
    while True:
        fraction = 1.0 if settings.latency <= 0 else (time.monotonic() - started) / settings.latency
        video.advance(int(min(fraction, until) * 100))
        if fraction >= until:
            return
        await asyncio.sleep(min(TICK, settings.latency * (until - fraction)))


async def _render(video: Video, context: RenderContext) -> None:
    """Render in a thread into a `.partial` directory, moved into place once whole (or removed if cancelled)."""
    final = context.directory(video.id)
    partial = final.with_name(final.name + ".partial")
    job = context.executor.submit(render_variants, RenderRequest(video.id, video.spec, context.fps), partial)
    try:
        await asyncio.wrap_future(job)
    except asyncio.CancelledError:
        job.add_done_callback(lambda _: shutil.rmtree(partial, ignore_errors=True))
        raise
    except Exception:
        _log.exception("rendering %s failed", video.id)
        shutil.rmtree(partial, ignore_errors=True)
        video.fail(RENDER_ERROR)
        return
    partial.rename(final)
    video.complete(ttl=context.asset_ttl)
