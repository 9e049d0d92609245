"""Queue-wide controls: pause/resume (the whole queue or one server) and clearing finished jobs."""

from attrs import define, frozen

from application.lookups import require
from application.ports.job_store import JobStore
from application.ports.preview_store import PreviewStore
from application.ports.queue_settings import QueueSettings
from application.ports.queue_signal import QueueSignal
from application.ports.unit_of_work import UnitOfWork
from domain.queue_job import JobStatus



@frozen
class PauseTarget:
    """No server: the whole queue. Running jobs finish; nothing new starts."""

    server_id: str | None = None


@frozen
class QueuePaused:
    paused: bool
    paused_servers: tuple[str, ...]


@define
class SetPaused:
    settings: QueueSettings
    uow: UnitOfWork
    signal: QueueSignal

    async def __call__(self, target: PauseTarget, *, paused: bool) -> QueuePaused:
        if target.server_id is None:
            await self.settings.set_paused(paused)
        else:
            async with self.uow:
                await require(self.uow.comfyui_servers, target.server_id, "ComfyUI server")
            await self.settings.set_server_paused(target.server_id, paused)
        self.signal.settings_changed()
        return QueuePaused(await self.settings.paused(), tuple(sorted(await self.settings.paused_servers())))


@frozen
class FinishedCleared:
    deleted: int


@define
class ClearFinished:
    """Delete finished jobs and their previews."""

    jobs: JobStore
    previews: PreviewStore

    async def __call__(self, *, project_id: str | None = None) -> FinishedCleared:
        doomed = [job.id for job in await self.jobs.finished(project_id)]
        deleted = await self.jobs.delete_finished(doomed)  # a job retried meanwhile stays
        await self.previews.delete(doomed)
        return FinishedCleared(deleted=deleted)
