"""Queue a batch: a list of clips, a scene's clips, or a whole project's."""

from typing import Any

from attrs import define, field, frozen

from application.lookups import require
from application.ports.id_generator import IdGenerator
from application.ports.job_store import JobStore
from application.ports.queue_signal import QueueSignal
from application.ports.unit_of_work import UnitOfWork
from application.queue.job_composer import JobComposer
from domain.clip import Clip
from domain.errors import InvalidValue
from domain.generated_content import ContentKind

MAX_BATCH = 2000


@frozen
class EnqueueBatch:
    model: str
    clip_ids: tuple[str, ...] | None = None
    scene_id: str | None = None
    project_id: str | None = None
    kind: ContentKind | None = None
    params: dict[str, Any] = field(factory=dict)
    priority: int = 0
    seed: int | None = None
    template_id: str | None = None
    include_alternates: bool = False
    max_retries: int = 3


@frozen
class BatchQueued:
    batch_id: str
    job_ids: tuple[str, ...]
    count: int


@define
class EnqueueBatchHandler:
    uow: UnitOfWork
    jobs: JobStore
    composer: JobComposer
    ids: IdGenerator
    signal: QueueSignal

    async def __call__(self, cmd: EnqueueBatch) -> BatchQueued:
        batch_id = self.ids.new_id()
        async with self.uow:
            clips = await self._clips(cmd)
            composed = [await self.composer.compose(self.uow, clip, cmd, batch_id=batch_id) for clip in clips]
        await self.jobs.add_all([job for job, _ in composed], [workflow for _, workflow in composed])
        self.signal.work_queued()
        job_ids = tuple(job.id for job, _ in composed)
        return BatchQueued(batch_id=batch_id, job_ids=job_ids, count=len(job_ids))

    async def _clips(self, cmd: EnqueueBatch) -> list[Clip]:
        chosen = [name for name in ("clip_ids", "scene_id", "project_id") if getattr(cmd, name) is not None]
        if len(chosen) != 1:
            raise InvalidValue("clip_ids", "give exactly one of clip_ids, scene_id or project_id")
        if cmd.clip_ids is not None:
            if not 0 < len(cmd.clip_ids) <= MAX_BATCH:
                raise InvalidValue("clip_ids", f"give 1 to {MAX_BATCH} clips")
            return [await require(self.uow.clips, clip_id, "Clip") for clip_id in dict.fromkeys(cmd.clip_ids)]
        if cmd.scene_id is not None:
            await require(self.uow.scenes, cmd.scene_id, "Scene")
            clips = await self.uow.clips.find({"scene_id": cmd.scene_id}, order_by=("timeline_position",))
        else:
            await require(self.uow.projects, cmd.project_id or "", "Project")
            clips = await self.uow.clips.find({"project_id": cmd.project_id}, order_by=("timeline_position",))
        clips = [clip for clip in clips if cmd.include_alternates or not clip.is_alternate]
        if len(clips) > MAX_BATCH:
            raise InvalidValue("clip_ids", f"a batch holds at most {MAX_BATCH} clips")
        return clips
