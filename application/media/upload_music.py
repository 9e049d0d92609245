"""Upload a project's music: checked by content, read with the probe, and replacing the previous song."""

from collections.abc import AsyncIterator
from typing import BinaryIO

from attrs import define, frozen

from application.lookups import require
from application.media.receive_upload import receive_upload
from application.music.analysis_runner import MusicAnalysisRunner
from application.ports.clock import Clock
from application.ports.media_probe import AudioInfo, MediaProbe
from application.ports.media_store import MediaStore, StoredMedia
from application.ports.unit_of_work import UnitOfWork
from application.retries import retried_on_lost_race
from domain.media import MediaKind, MusicTrack
from domain.project import Project

ACCEPTED_AUDIO = "MP3, WAV, FLAC, OGG (Vorbis or Opus), M4A/AAC or AIFF"


@frozen
class UploadMusic:
    project_id: str
    chunks: AsyncIterator[bytes]
    file_name: str | None = None


def music_track(stored: StoredMedia, info: AudioInfo) -> MusicTrack:
    return MusicTrack(
        key=stored.key, url=stored.url, content_type=stored.content_type, format=info.format, size=stored.size,
        duration_s=info.duration_s, original_name=stored.original_name, bitrate=info.bitrate,
        sample_rate=info.sample_rate, channels=info.channels,
    )


@define
class UploadMusicHandler:
    uow: UnitOfWork
    media: MediaStore
    probe: MediaProbe
    clock: Clock
    max_mb: int
    analysis: MusicAnalysisRunner | None = None  # the song's beat analysis, started in the background

    async def __call__(self, cmd: UploadMusic) -> Project:
        async with self.uow:
            await require(self.uow.projects, cmd.project_id, "Project")
        stored, info = await receive_upload(
            self.media, cmd.chunks, self._inspect, kind=MediaKind.AUDIO, accepted=ACCEPTED_AUDIO,
            max_mb=self.max_mb, project_id=cmd.project_id, folder="music", original_name=cmd.file_name,
        )
        try:
            project, replaced = await self._attach(cmd.project_id, music_track(stored, info))
        except BaseException:
            await self.media.delete(stored.key)
            raise
        if replaced is not None and replaced != stored.key:
            await self.media.delete(replaced)
        if self.analysis is not None:
            await self.analysis.request(project.id, stored.key)
        return project

    async def _inspect(self, source: BinaryIO, content_type: str) -> AudioInfo:
        return await self.probe.audio(source, content_type)

    @retried_on_lost_race
    async def _attach(self, project_id: str, track: MusicTrack) -> tuple[Project, str | None]:
        async with self.uow:
            project = await require(self.uow.projects, project_id, "Project")
            updated = await self.uow.projects.update(project.with_music(track, now=self.clock.now()))
            self.uow.board_changed(project_id)
            await self.uow.commit()
        return updated, project.music_file
