"""The videos one simulator holds, in creation order, with their background tasks and rendered files."""

import asyncio
import concurrent.futures
import shutil
import time
from pathlib import Path

from simulators.openai_video.api_errors import video_not_found
from simulators.openai_video.config import SimulatorConfig
from simulators.openai_video.videos.failures import FailureInjector
from simulators.openai_video.videos.lifecycle import RenderContext, RuntimeSettings, run_video
from simulators.openai_video.videos.stats import SimulatorStats
from simulators.openai_video.videos.video import Video, VideoError, VideoSpec, new_video_id


class VideoRegistry:
    """Create, find, page through and delete videos; each video's files live in `assets / <id>`."""

    def __init__(self, config: SimulatorConfig, *, settings: RuntimeSettings, failures: FailureInjector,
                 stats: SimulatorStats, assets: Path):
        self.settings, self.failures, self.stats, self.assets = settings, failures, stats, assets
        self.videos: dict[str, Video] = {}
        self.executor = concurrent.futures.ThreadPoolExecutor(config.capacity, thread_name_prefix="render")
        self.context = RenderContext(settings, asyncio.Semaphore(config.capacity), self.executor, stats,
                                     self.directory, config.fps, config.asset_ttl)

    def directory(self, video_id: str) -> Path:
        return self.assets / video_id

    def create(self, spec: VideoSpec) -> Video:
        """A queued video whose task starts at once; an armed job failure is planned for it here."""
        video = Video(new_video_id(), spec, int(time.time()))
        if self.failures.take("job_failure"):
            video.planned_failure = VideoError(self.settings.failure_code, self.settings.failure_message)
        self.videos[video.id] = video
        self.stats.video_created(video.id)
        video.task = asyncio.create_task(run_video(video, self.context), name=video.id)
        return video

    def get(self, video_id: str) -> Video:
        video = self.videos.get(video_id)
        if video is None:
            raise video_not_found(video_id)
        return video

    def delete(self, video_id: str) -> Video:
        """Forget the video and its files; a video still queued or rendering is cancelled first."""
        video = self.get(video_id)
        del self.videos[video_id]
        self.stats.video_deleted(video_id, video.status)
        if not video.finished and video.task is not None:
            video.task.cancel()
            self.stats.video_settled()
        shutil.rmtree(self.directory(video_id), ignore_errors=True)
        return video

    def page(self, *, after: str | None, limit: int, order: str) -> tuple[list[Video], bool]:
        """Up to `limit` videos after the one with id `after`, oldest first for `asc`; and whether more follow."""
        videos = list(self.videos.values())
        if order == "desc":
            videos.reverse()
        if after is not None:
            ids = [video.id for video in videos]
            videos = videos[ids.index(after) + 1:] if after in ids else []
        return videos[:limit], len(videos) > limit

    async def close(self) -> None:
        """Cancel every task and wait for renders in flight, so no thread writes after the files are gone."""
        tasks = [video.task for video in self.videos.values() if video.task is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await asyncio.to_thread(self.executor.shutdown, wait=True, cancel_futures=True)
